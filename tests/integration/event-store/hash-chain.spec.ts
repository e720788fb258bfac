import { jest } from '@jest/globals';
import { EventStore, canonicalEvent, canonicalJson, chainHash } from '@talent/event-store';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ev } from './fixtures.js';

// Real PostgreSQL under concurrency: jest's project-level testTimeout is not applied to projects.
jest.setTimeout(60_000);

describe('hash chains', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase(5);
    store = new EventStore(db.dataSource);
    for (let s = 0; s < 7; s++) {
      let v = 0;
      for (let b = 0; b < 4; b++) {
        const r = await store.append(`chain-${s}`, 'case', v, [
          ev('Step', { s, b, nested: { z: 1, a: [{ y: 2, b: 'x' }] } }),
          ev('Note', { text: 'ünïcödé ✓', b }),
        ]);
        v = r.streamVersion;
      }
    }
  });
  afterAll(async () => {
    await db.drop();
  });

  it('serialises canonically: sorted keys at every depth, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: true, e: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"e":null,"f":true}]},"b":1}',
    );
  });

  it('links every event to the previous one and verifies in batches', async () => {
    const events = await store.readStream('chain-3');
    expect(events).toHaveLength(8);
    let prev: Buffer | null = null;
    for (const e of events) {
      expect(e.prevHash).toBe(prev ? prev.toString('hex') : null);
      const h = chainHash(prev, canonicalEvent({ ...e, occurredAt: e.metadata.occurredAt }));
      expect(h.toString('hex')).toBe(e.hash);
      prev = h;
    }
    await expect(store.verifyChains({ batchSize: 5 })).resolves.toEqual({ ok: true, eventsChecked: 56 });
  });

  it('detects a payload changed directly in SQL', async () => {
    await db.dataSource.query(
      `UPDATE events SET payload = jsonb_set(payload, '{b}', '99') WHERE stream_id = 'chain-4' AND stream_version = 5`,
    );
    const result = await store.verifyChains({ batchSize: 3 });
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toEqual({
      streamId: 'chain-4',
      version: 5,
      reason: 'hash does not match the event',
    });
    expect(result.eventsChecked).toBe(4 * 8 + 4);
  });

  it('detects a deleted event and a re-hashed forgery that breaks the link', async () => {
    await db.dataSource.query(`DELETE FROM events WHERE stream_id = 'chain-1' AND stream_version = 3`);
    await expect(store.verifyChains({ streamId: 'chain-1' })).resolves.toMatchObject({
      ok: false,
      firstBroken: { streamId: 'chain-1', version: 4, reason: 'expected version 3, found 4' },
    });
    // Forge event 2 of chain-2 consistently with itself: its successor's prev_hash no longer matches.
    const [row]: Array<{ prev_hash: Buffer }> = await db.dataSource.query(
      `SELECT prev_hash FROM events WHERE stream_id = 'chain-2' AND stream_version = 2`,
    );
    const [forged] = await store.readStream('chain-2', 2);
    const payload = { ...forged.payload, text: 'forged' };
    const hash = chainHash(
      row.prev_hash,
      canonicalEvent({ ...forged, payload, occurredAt: forged.metadata.occurredAt }),
    );
    await db.dataSource.query(
      `UPDATE events SET payload = $1, hash = $2 WHERE stream_id = 'chain-2' AND stream_version = 2`,
      [JSON.stringify(payload), hash],
    );
    await expect(store.verifyChains({ streamId: 'chain-2' })).resolves.toMatchObject({
      ok: false,
      firstBroken: { streamId: 'chain-2', version: 3, reason: 'prev_hash does not match the previous event' },
    });
  });
});
