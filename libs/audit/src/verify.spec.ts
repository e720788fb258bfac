import { canonicalEvent, chainHash, type JsonObject } from '@talent/event-store';
import { csvField } from './export.js';
import { verifyExport } from './verify.js';

/** A stream exported as NDJSON rows, hashed exactly as the store hashes on append. */
function chain(streamId: string, n: number): string[] {
  const lines: string[] = [];
  let prev: Buffer | null = null;
  for (let v = 1; v <= n; v++) {
    const occurredAt = `2026-01-0${v}T10:00:00.000Z`;
    const metadata = { actorId: 'u1', actorRole: 'hr', occurredAt, correlationId: 'c', causationId: 'c' };
    const payload: JsonObject = { v, nested: { b: [1, 'two'], a: null } };
    const eventId = `00000000-0000-4000-8000-00000000000${v}`;
    const hash = chainHash(
      prev,
      canonicalEvent({
        eventId,
        streamId,
        streamType: 'promotion',
        streamVersion: v,
        type: `Step${v}`,
        schemaVersion: 1,
        payload,
        metadata,
        occurredAt,
      }),
    );
    lines.push(
      JSON.stringify({
        position: String(v),
        event_id: eventId,
        stream_id: streamId,
        stream_type: 'promotion',
        version: v,
        type: `Step${v}`,
        schema_version: 1,
        actor_id: 'u1',
        actor_role: 'hr',
        reason: null,
        occurred_at: occurredAt,
        recorded_at: occurredAt,
        payload,
        metadata,
        prev_hash: prev ? prev.toString('hex') : null,
        hash: hash.toString('hex'),
      }),
    );
    prev = hash;
  }
  return lines;
}

describe('verifyExport', () => {
  it('accepts intact chains in any line order, and key order inside objects does not matter', () => {
    const a = chain('s-a', 3);
    const b = chain('s-b', 2);
    const reordered = JSON.stringify(
      Object.fromEntries(Object.entries(JSON.parse(a[1]) as object).reverse()),
    );
    const result = verifyExport([b[1], a[2], reordered, b[0], a[0], ''], { requireComplete: true });
    expect(result).toEqual({
      ok: true,
      eventsChecked: 5,
      streams: 2,
      complete: true,
      problems: [],
      incomplete: [],
    });
  });

  it('names each kind of damage with its line', () => {
    const a = chain('s-a', 3);
    const tampered = a.map((l, i) => (i === 1 ? l.replace('"two"', '"2"') : l));
    expect(verifyExport(tampered).problems).toEqual([
      expect.objectContaining({ line: 2, kind: 'hash-mismatch', streamId: 's-a', version: 2 }),
    ]);
    const noPrev = a.map((l, i) => (i === 2 ? l.replace(/"prev_hash":"[0-9a-f]+"/, '"prev_hash":null') : l));
    expect(verifyExport(noPrev).problems.map((p) => p.kind)).toEqual([
      'hash-mismatch',
      'broken-link',
      'broken-link',
    ]);
    const moved = a.map((l, i) =>
      i === 0
        ? l.replace('"occurred_at":"2026-01-01T10:00:00.000Z"', '"occurred_at":"2026-01-09T10:00:00.000Z"')
        : l,
    );
    expect(verifyExport(moved).problems.map((p) => p.kind)).toEqual(['occurred-at-mismatch']);
    expect(verifyExport(['{"stream_id":"x"}']).problems.map((p) => p.kind)).toEqual(['malformed']);
  });
});

describe('csvField', () => {
  it('quotes only what RFC 4180 needs and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(42)).toBe('42');
    expect(csvField(null)).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(' padded')).toBe('" padded"');
  });
});
