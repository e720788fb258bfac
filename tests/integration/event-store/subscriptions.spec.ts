import { jest } from '@jest/globals';
import type { QueryRunner } from 'typeorm';
import { EventStore, SubscriptionRunner, subscriptionLag, type StoredEvent } from '@talent/event-store';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ev, sleep, waitFor } from './fixtures.js';

// Real PostgreSQL under concurrency: jest's project-level testTimeout is not applied to projects.
jest.setTimeout(60_000);

describe('SubscriptionRunner', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase(30);
    store = new EventStore(db.dataSource);
    await db.dataSource.query(
      `CREATE TABLE seen (seq bigserial PRIMARY KEY, subscription text NOT NULL, event_id uuid NOT NULL,
         stream_id text NOT NULL, stream_version int NOT NULL)`,
    );
  });
  afterAll(async () => {
    await db.drop();
  });

  const record = (subscription: string) => async (e: StoredEvent, tx: QueryRunner) => {
    await tx.query(
      'INSERT INTO seen (subscription, event_id, stream_id, stream_version) VALUES ($1, $2, $3, $4)',
      [subscription, e.eventId, e.streamId, e.streamVersion],
    );
  };
  const seen = async (subscription: string) =>
    db.dataSource.query<Array<{ event_id: string; stream_id: string; stream_version: number }>>(
      'SELECT event_id, stream_id, stream_version FROM seen WHERE subscription = $1 ORDER BY seq',
      [subscription],
    );

  it('delivers every committed event exactly once, in stream order, despite late commits and rollbacks', async () => {
    const runner = new SubscriptionRunner(store, {
      name: 'all-events',
      handler: record('all-events'),
      pollIntervalMs: 10,
      batchSize: 37,
    });
    await runner.start();
    const committed = new Set<string>();
    const rolledBack = new Set<string>();

    const plainWriter = async (w: number) => {
      for (let v = 0; v < 10; v++) {
        const r = await store.append(`w-${w}`, 'employee', v, [ev('Fact', { w, v })]);
        r.events.forEach((e) => committed.add(e.eventId));
        if (v % 3 === 0) await sleep(5);
      }
    };
    // Begins, appends, sleeps while later transactions commit, then commits: its events are older in
    // position than events already visible, and must still be delivered.
    const slowWriter = async (w: number, holdMs: number) => {
      for (let round = 0; round < 3; round++) {
        const qr = db.dataSource.createQueryRunner();
        await qr.connect();
        try {
          await qr.startTransaction();
          const r = await store.append(
            `w-${w}`,
            'employee',
            round * 2,
            [ev('Fact', { w, round }), ev('Fact', {})],
            {
              queryRunner: qr,
            },
          );
          await sleep(holdMs);
          await qr.commitTransaction();
          r.events.forEach((e) => committed.add(e.eventId));
        } finally {
          await qr.release();
        }
      }
    };
    const rollbackWriter = async (w: number) => {
      for (let round = 0; round < 3; round++) {
        const qr = db.dataSource.createQueryRunner();
        await qr.connect();
        try {
          await qr.startTransaction();
          const r = await store.append(`w-${w}`, 'employee', 0, [ev('Doomed', { w, round })], {
            queryRunner: qr,
          });
          r.events.forEach((e) => rolledBack.add(e.eventId));
          await sleep(150);
          await qr.rollbackTransaction();
        } finally {
          await qr.release();
        }
      }
    };

    await Promise.all(
      Array.from({ length: 20 }, (_, w) => {
        if (w === 0 || w === 1) return slowWriter(w, 400 + w * 150);
        if (w === 2) return rollbackWriter(w);
        return plainWriter(w);
      }),
    );
    expect(committed.size).toBe(2 * 6 + 17 * 10);
    await waitFor(async () => (await seen('all-events')).length >= committed.size);
    await sleep(100); // anything extra would show up now
    await waitFor(async () => (await runner.lag()) === 0);
    await runner.stop();

    const rows = await seen('all-events');
    const ids = rows.map((r) => r.event_id);
    expect(new Set(ids).size).toBe(ids.length); // exactly once
    expect(new Set(ids)).toEqual(committed);
    for (const id of rolledBack) expect(ids).not.toContain(id);
    const byStream = new Map<string, number[]>();
    for (const r of rows) byStream.set(r.stream_id, [...(byStream.get(r.stream_id) ?? []), r.stream_version]);
    for (const versions of byStream.values()) {
      expect(versions).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
    }
    expect(await subscriptionLag(store, 'all-events')).toBe(0);
  });

  it('parks an event whose handler keeps failing, moves on, and replays it later', async () => {
    let poisonFails = true;
    const errors: unknown[] = [];
    const handler = async (e: StoredEvent, tx: QueryRunner) => {
      if (e.type === 'Poison' && poisonFails) throw new Error('downstream is down');
      await record('parking')(e, tx);
    };
    const runner = new SubscriptionRunner(store, {
      name: 'parking',
      handler,
      types: ['Good', 'Poison'],
      pollIntervalMs: 10,
      maxAttempts: 3,
      backoffMs: () => 5,
      onError: (e) => errors.push(e),
    });
    await store.append('park-1', 'case', 0, [
      ev('Good', { n: 1 }),
      ev('Poison'),
      ev('Ignored'),
      ev('Good', { n: 2 }),
    ]);
    await runner.start();
    try {
      await waitFor(async () => (await runner.lag()) === 0);
      expect((await seen('parking')).map((r) => r.stream_version)).toEqual([1, 4]);
      const parked: Array<{ error: string; attempts: number; replayed_at: Date | null }> =
        await db.dataSource.query(
          `SELECT error, attempts, replayed_at FROM parked_events WHERE subscription = 'parking'`,
        );
      expect(parked).toEqual([{ error: 'Error: downstream is down', attempts: 3, replayed_at: null }]);
      expect(errors).toHaveLength(4); // three failed attempts + the parking notice

      // Still alive: later events flow.
      await store.append('park-1', 'case', 4, [ev('Good', { n: 3 })]);
      await waitFor(async () => (await seen('parking')).length === 3);

      poisonFails = false;
      await expect(runner.replayParked()).resolves.toEqual({ replayed: 1, failed: 0 });
      expect((await seen('parking')).map((r) => r.stream_version)).toEqual([1, 4, 5, 2]);
      const after: Array<{ replayed: boolean }> = await db.dataSource.query(
        `SELECT replayed_at IS NOT NULL AS replayed FROM parked_events WHERE subscription = 'parking'`,
      );
      expect(after).toEqual([{ replayed: true }]);
      await expect(runner.replayParked()).resolves.toEqual({ replayed: 0, failed: 0 });
    } finally {
      await runner.stop();
    }
  });

  it('keeps a second runner of the same subscription idle until the first stops', async () => {
    const otherProcess = await db.connect(5);
    const a = new SubscriptionRunner(store, {
      name: 'single',
      handler: record('single'),
      pollIntervalMs: 10,
    });
    const b = new SubscriptionRunner(new EventStore(otherProcess), {
      name: 'single',
      handler: record('single'),
      pollIntervalMs: 10,
    });
    try {
      await a.start();
      await waitFor(() => a.isActive);
      await b.start();
      for (let i = 0; i < 20; i++) await store.append('single-1', 'case', i, [ev('Tick', { i })]);
      await waitFor(async () => (await a.lag()) === 0);
      await sleep(100);
      expect(a.isActive).toBe(true);
      expect(b.isActive).toBe(false);

      await a.stop();
      await waitFor(() => b.isActive);
      for (let i = 20; i < 30; i++) await store.append('single-1', 'case', i, [ev('Tick', { i })]);
      await waitFor(async () => (await b.lag()) === 0);
      const versions = (await seen('single'))
        .filter((r) => r.stream_id === 'single-1')
        .map((r) => r.stream_version);
      expect(versions).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
