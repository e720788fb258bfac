import { decodeCursor, encodeCursor, filterFingerprint } from './cursor.js';
import { InvalidCursorError } from './errors.js';

describe('audit cursors', () => {
  const f = filterFingerprint(['case-1']);

  it('round-trip the key of the last row, opaque base64url', () => {
    const c = encodeCursor('caseHistory', f, { position: '9007199254740993' });
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c, 'caseHistory', f, false)).toEqual({ position: '9007199254740993' });
    const t = encodeCursor('approvals', f, { position: '12', occurredAt: '2026-05-01T09:00:00.123456Z' });
    expect(decodeCursor(t, 'approvals', f, true)).toEqual({
      position: '12',
      occurredAt: '2026-05-01T09:00:00.123456Z',
    });
  });

  it('refuse tokens from another query, other filters, or tampered keys', () => {
    const c = encodeCursor('caseHistory', f, { position: '5' });
    expect(() => decodeCursor(c, 'actorActivity', f, false)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(c, 'caseHistory', filterFingerprint(['case-2']), false)).toThrow(
      /different filters/,
    );
    expect(() => decodeCursor(c, 'caseHistory', f, true)).toThrow(/time key/);
    const forge = (body: object) => Buffer.from(JSON.stringify(body)).toString('base64url');
    for (const p of ['-1', '01', '1e3', '99999999999999999999', "1' OR '1'='1"]) {
      expect(() => decodeCursor(forge({ v: 1, q: 'caseHistory', f, p }), 'caseHistory', f, false)).toThrow(
        /bad position/,
      );
    }
    const badTime = forge({ v: 1, q: 'approvals', f, p: '1', t: "now()'; --" });
    expect(() => decodeCursor(badTime, 'approvals', f, true)).toThrow(/time key/);
    for (const junk of ['', '%%%', 'bm90IGpzb24', forge([1, 2]), forge({ v: 2 }), 'x'.repeat(600)]) {
      expect(() => decodeCursor(junk, 'caseHistory', f, false)).toThrow(InvalidCursorError);
    }
  });

  it('fingerprint filters without ambiguity between parts', () => {
    expect(filterFingerprint(['a,b', 'c'])).not.toBe(filterFingerprint(['a', 'b,c']));
    expect(filterFingerprint([null])).toBe(filterFingerprint([undefined]));
  });
});
