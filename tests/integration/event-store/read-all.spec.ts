import { jest } from '@jest/globals';
import { EventStore, START, type Checkpoint, type StoredEvent } from '@talent/event-store';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ev } from './fixtures.js';

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
    // Positions pass 99 -> 100 and transaction ids pass a power of ten: a textual ordering ('10001' <
    // '9995') would differ from the numeric one. Subtransactions burn xids to get near the boundary.
    const xidNow = async () =>
      BigInt(
        (await db.dataSource.query<Array<{ x: string }>>('SELECT pg_current_xact_id()::text AS x'))[0].x,
      );
    let appends = 0;
    let total = 0;
    const appendSome = async (n: number) => {
      for (let k = 0; k < n; k++, appends++) {
        const batch =
          appends % 10 === 0 ? [ev('A', { appends }), ev('B', { appends })] : [ev('A', { appends })];
        await store.append(`s-${appends % 9}`, 'case', 'any', batch);
        total += batch.length;
      }
    };
    await appendSome(60);
    const x = await xidNow();
    const boundary = 10n ** BigInt(String(x).length);
    await db.dataSource.query('CREATE TABLE xid_burn (x int)');
    await db.dataSource.query(
      `DO $$ BEGIN FOR i IN 1..${Number(boundary - x) - 30} LOOP
         BEGIN INSERT INTO xid_burn VALUES (i); EXCEPTION WHEN others THEN NULL; END;
       END LOOP; END $$`,
    );
    await appendSome(60);
    expect(await xidNow()).toBeGreaterThan(boundary);
    const seen: StoredEvent[] = [];
    let cp: Checkpoint = START;
    for (;;) {
      const page = await store.readAll(cp, 7);
      seen.push(...page.events);
      cp = page.checkpoint;
      if (page.events.length === 0) break;
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
      const now = await store.readAll(head.checkpoint, 100);
      expect(now.events.map((e) => e.eventId)).toEqual([open.events[0].eventId, later.events[0].eventId]);
    } finally {
      await qr.release();
    }
  });
});
