import { jest } from '@jest/globals';
import { EventStore, START, type Checkpoint, type StoredEvent } from '@talent/event-store';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ev, sleep, waitFor } from './fixtures.js';

jest.setTimeout(60_000);

const after = (a: StoredEvent, b: StoredEvent) =>
  BigInt(a.txId) > BigInt(b.txId) || (a.txId === b.txId && BigInt(a.position) > BigInt(b.position));

describe('EventStore.readAll', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase(5);
    store = new EventStore(db.dataSource);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('pages through the log in numeric (tx_id, position) order across digit boundaries', async () => {
    // A fresh database's positions start at 1. Batches whose positions cross 9 -> 10 and 99 -> 100 inside
    // one transaction, where a textual ordering ('10' < '9') would differ from the numeric one.
    let total = 0;
    const batch = (n: number) => Array.from({ length: n }, (_, k) => ev('A', { total, k }));
    await store.append('s-big', 'case', 0, batch(12));
    total += 12;
    for (let k = 0; k < 80; k++, total++) await store.append(`s-${k % 9}`, 'case', 'any', batch(1));
    await store.append('s-big', 'case', 12, batch(15));
    total += 15;
    expect(total).toBe(107);
    const seen: StoredEvent[] = [];
    let cp: Checkpoint = START;
    // The watermark is cluster-wide: a transaction open in another test's database holds it back for
    // a moment, so an empty page only ends the walk once nothing committed is left after it.
    for (const until = Date.now() + 20_000; ;) {
      const page = await store.readAll(cp, 7);
      seen.push(...page.events);
      cp = page.checkpoint;
      if (page.events.length > 0) continue;
      if ((await store.countAfter(cp)) === 0 || Date.now() > until) break;
      await sleep(50);
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(total);
    for (let i = 1; i < seen.length; i++) expect(after(seen[i], seen[i - 1])).toBe(true);
    expect(await store.countAfter(cp)).toBe(0);
    expect(await store.countAfter(START)).toBe(total);
  });

  it('does not return events of a transaction that is still open, nor anything after it', async () => {
    const qr = db.dataSource.createQueryRunner();
    await qr.connect();
    try {
      const head = await store.readAll(START, 100000);
      await qr.startTransaction();
      const open = await store.append('open-1', 'case', 0, [ev('Pending')], { queryRunner: qr });
      const later = await store.append('later-1', 'case', 0, [ev('Committed')]);
      const meanwhile = await store.readAll(head.checkpoint, 100);
      expect(meanwhile.events).toEqual([]);
      await qr.commitTransaction();
      // (the watermark is cluster-wide: wait out transactions of other tests' databases)
      let now = await store.readAll(head.checkpoint, 100);
      await waitFor(async () => (now = await store.readAll(head.checkpoint, 100)).events.length >= 2);
      expect(now.events.map((e) => e.eventId)).toEqual([open.events[0].eventId, later.events[0].eventId]);
    } finally {
      await qr.release();
    }
  });
});
