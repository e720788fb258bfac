import { jest } from '@jest/globals';
import {
  ConcurrencyError,
  EventStore,
  IdempotencyConflictError,
  type AppendResult,
} from '@talent/event-store';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ev } from './fixtures.js';

jest.setTimeout(60_000);

/**
 * Group commit of concurrent single-event appends (real PostgreSQL). With `maxInFlight: 1` the first
 * append of a burst runs alone and every append made in the same tick waits for it, then all go in one
 * statement: the tests below rely on that to know which appends shared a batch.
 */
describe('EventStore append coalescing', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase(8);
    store = new EventStore(db.dataSource, { coalescing: { maxInFlight: 1 } });
  });
  afterAll(async () => {
    await db.drop();
  });

  interface Row {
    stream_id: string;
    stream_version: number;
    position: string;
    tx_id: string;
    hash: string;
    prev_hash: string | null;
  }
  const rows = async (prefix: string): Promise<Row[]> =>
    db.dataSource.query(
      `SELECT stream_id, stream_version, position::text AS position, tx_id::text AS tx_id,
         encode(hash, 'hex') AS hash, encode(prev_hash, 'hex') AS prev_hash
       FROM events WHERE stream_id LIKE $1 || '%' ORDER BY events.position`,
      [prefix],
    );

  it('writes a burst of appends to many streams in shared commits, each chained to its own stream', async () => {
    // Half the streams already have an event: their batched append must chain to it.
    const existing = new Map<string, string>();
    for (let i = 0; i < 32; i += 2) {
      const r = await store.append(`burst-${i}`, 'promotion', 0, [ev('Opened', { i })]);
      existing.set(`burst-${i}`, r.events[0].hash);
    }
    const results = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        store.append(`burst-${i}`, 'promotion', i % 2 === 0 ? 1 : 0, [ev('Moved', { i })]),
      ),
    );
    const stored = await rows('burst-');
    expect(stored).toHaveLength(48);
    for (const [i, r] of results.entries()) {
      const streamId = `burst-${i}`;
      const version = i % 2 === 0 ? 2 : 1;
      expect(r).toMatchObject({ streamVersion: version, duplicate: false });
      const [e] = r.events;
      expect(e.payload).toEqual({ i });
      const row = stored.find((x) => x.stream_id === streamId && x.stream_version === version)!;
      expect({ position: e.position, txId: e.txId, hash: e.hash, prevHash: e.prevHash }).toEqual({
        position: row.position,
        txId: row.tx_id,
        hash: row.hash,
        prevHash: row.prev_hash,
      });
      expect(e.prevHash).toBe(existing.get(streamId) ?? null);
    }
    // 32 appends, far fewer commits: the first ran alone, the other 31 shared one.
    const burstTx = new Set(results.map((r) => r.events[0].txId));
    expect(burstTx.size).toBe(2);
    await expect(store.verifyChains()).resolves.toMatchObject({ ok: true, eventsChecked: 48 });
  });

  it('refuses only the member whose stream moved and still writes the rest of its batch', async () => {
    await store.append('stale-s', 'promotion', 0, [ev('Opened')]);
    const [first, okA, stale, okB] = await Promise.allSettled([
      store.append('stale-first', 'promotion', 0, [ev('Opened')]),
      store.append('stale-a', 'promotion', 0, [ev('Opened')]),
      store.append('stale-s', 'promotion', 0, [ev('Opened', { late: true })]),
      store.append('stale-b', 'promotion', 0, [ev('Opened')]),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(stale.status).toBe('rejected');
    expect((stale as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
    expect((stale as PromiseRejectedResult).reason).toMatchObject({
      streamId: 'stale-s',
      expected: 0,
      actual: 1,
    });
    const a = (okA as PromiseFulfilledResult<AppendResult>).value;
    const b = (okB as PromiseFulfilledResult<AppendResult>).value;
    expect(a.events[0].txId).toBe(b.events[0].txId);
    const stored = await rows('stale-');
    expect(stored.map((r) => [r.stream_id, r.stream_version]).sort()).toEqual([
      ['stale-a', 1],
      ['stale-b', 1],
      ['stale-first', 1],
      ['stale-s', 1],
    ]);
  });

  it('when a batch statement fails, gives each member its own outcome: duplicate, conflict or success', async () => {
    const original = await store.append('dup-s', 'promotion', 0, [
      ev('Opened', { n: 1 }, { eventId: '0b0e6a52-1f0c-4a55-9d39-3a1f7a3f0001' }),
    ]);
    await store.append('dup-other', 'promotion', 0, [
      ev('Opened', {}, { eventId: '0b0e6a52-1f0c-4a55-9d39-3a1f7a3f0002' }),
    ]);
    const [first, fresh1, retried, stolen, fresh2] = await Promise.allSettled([
      store.append('dup-first', 'promotion', 0, [ev('Opened')]),
      store.append('dup-fresh-1', 'promotion', 0, [ev('Opened')]),
      // A retried request: same event id, same payload, so the original comes back.
      store.append('dup-s', 'promotion', 0, [
        ev('Opened', { n: 1 }, { eventId: '0b0e6a52-1f0c-4a55-9d39-3a1f7a3f0001' }),
      ]),
      // An event id already used by another stream: refused, and it must not sink the batch.
      store.append('dup-thief', 'promotion', 0, [
        ev('Opened', {}, { eventId: '0b0e6a52-1f0c-4a55-9d39-3a1f7a3f0002' }),
      ]),
      store.append('dup-fresh-2', 'promotion', 0, [ev('Opened')]),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(fresh1.status).toBe('fulfilled');
    expect(fresh2.status).toBe('fulfilled');
    expect(retried).toMatchObject({ status: 'fulfilled', value: { duplicate: true, streamVersion: 1 } });
    expect((retried as PromiseFulfilledResult<AppendResult>).value.events[0].position).toBe(
      original.events[0].position,
    );
    expect(stolen.status).toBe('rejected');
    expect((stolen as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyConflictError);
    const stored = await rows('dup-');
    expect(stored.map((r) => r.stream_id).sort()).toEqual([
      'dup-first',
      'dup-fresh-1',
      'dup-fresh-2',
      'dup-other',
      'dup-s',
    ]);
  });

  // Each 'any' writer that loses re-reads the head and tries again; a writer can lose at most once per
  // other writer, so a burst no larger than the retry budget (10) always lands in full.
  it('keeps a stream contiguous when a burst appends to it with expectedVersion any', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.append('any-s', 'promotion', 'any', [ev('Moved', { i })])),
    );
    expect(results.map((r) => r.streamVersion).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 8 }, (_, i) => i + 1),
    );
    const events = await store.readStream('any-s');
    expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 8 }, (_, i) => i + 1));
    expect(events.map((e) => e.payload.i).sort((x, y) => Number(x) - Number(y))).toEqual(
      Array.from({ length: 8 }, (_, i) => i),
    );
    await expect(store.verifyChains({ streamId: 'any-s' })).resolves.toMatchObject({ ok: true });
  });
});
