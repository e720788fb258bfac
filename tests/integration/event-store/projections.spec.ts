import { jest } from '@jest/globals';
import type { QueryRunner } from 'typeorm';
import {
  EventStore,
  SubscriptionBusyError,
  inlineProjections,
  projectionRunner,
  projectionSubscriptionName,
  rebuildProjection,
  type Projection,
  type StoredEvent,
} from '@talent/event-store';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ev, waitFor } from './fixtures.js';

// Real PostgreSQL under concurrency: jest's project-level testTimeout is not applied to projects.
jest.setTimeout(60_000);

function summaryProjection(table: string): Projection {
  return {
    name: table,
    handles: ['Opened', 'Scored', 'Closed'],
    async apply(e: StoredEvent, tx: QueryRunner) {
      if (e.type === 'Opened') {
        await tx.query(
          `INSERT INTO ${table} (stream_id, owner, score, events, status, last_position) VALUES ($1, $2, 0, 1, 'open', $3)`,
          [e.streamId, e.payload.owner, e.position],
        );
      } else {
        await tx.query(
          `UPDATE ${table} SET score = score + $2, events = events + 1, status = $3, last_position = $4 WHERE stream_id = $1`,
          [
            e.streamId,
            e.type === 'Scored' ? e.payload.points : 0,
            e.type === 'Closed' ? 'closed' : 'open',
            e.position,
          ],
        );
      }
    },
    async reset(tx: QueryRunner) {
      await tx.query(`TRUNCATE ${table}`);
    },
  };
}

describe('projections', () => {
  let db: TestDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase(10);
    store = new EventStore(db.dataSource);
    for (const t of ['inline_summary', 'async_summary']) {
      await db.dataSource.query(
        `CREATE TABLE ${t} (stream_id text PRIMARY KEY, owner text NOT NULL, score int NOT NULL, events int NOT NULL,
           status text NOT NULL, last_position bigint NOT NULL)`,
      );
    }
  });
  afterAll(async () => {
    await db.drop();
  });

  const rows = async (table: string): Promise<unknown[]> =>
    db.dataSource.query<unknown[]>(`SELECT * FROM ${table} ORDER BY stream_id`);

  async function writeHistory(inline: ReturnType<typeof inlineProjections>, from: number, to: number) {
    await Promise.all(
      Array.from({ length: to - from }, async (_, k) => {
        const i = from + k;
        const id = `case-${i}`;
        let v = (await store.append(id, 'case', 0, [ev('Opened', { owner: `mgr-${i % 3}` })], { inline }))
          .streamVersion;
        for (let s = 0; s < 5; s++) {
          v = (
            await store.append(id, 'case', v, [ev('Scored', { points: i * s }), ev('Commented', { s })], {
              inline,
            })
          ).streamVersion;
        }
        if (i % 2 === 0) await store.append(id, 'case', v, [ev('Closed')], { inline });
      }),
    );
  }

  it('rebuilds an inline projection to exactly the rows built incrementally', async () => {
    const projection = summaryProjection('inline_summary');
    await writeHistory(inlineProjections(projection), 0, 12);
    const incremental = await rows('inline_summary');
    expect(incremental).toHaveLength(12);
    await db.dataSource.query(`UPDATE inline_summary SET score = -1`); // drift the read model
    const result = await rebuildProjection(store, projection, { batchSize: 7 });
    expect(result.eventsApplied).toBe(12 + 12 * 5 + 6);
    expect(await rows('inline_summary')).toEqual(incremental);
  });

  it('keeps events committed past the watermark when an inline projection is rebuilt', async () => {
    const projection = summaryProjection('inline_summary');
    const inline = inlineProjections(projection);
    // An unrelated transaction with an xid holds the watermark back while later appends commit.
    const blocker = db.dataSource.createQueryRunner();
    await blocker.connect();
    try {
      await blocker.startTransaction();
      await blocker.query('CREATE TEMP TABLE hold_xmin (x int)');
      await blocker.query('SELECT pg_current_xact_id()');
      await store.append(
        'late-1',
        'case',
        0,
        [ev('Opened', { owner: 'mgr-9' }), ev('Scored', { points: 5 })],
        {
          inline,
        },
      );
      expect((await store.readAll(undefined, 100000)).events.some((e) => e.streamId === 'late-1')).toBe(
        false,
      );
      const incremental = await rows('inline_summary');
      await rebuildProjection(store, projection);
      expect(await rows('inline_summary')).toEqual(incremental);
    } finally {
      await blocker.rollbackTransaction();
      await blocker.release();
    }
  });

  it('keeps an async projection fed by a subscription, refuses to rebuild it while its runner is active', async () => {
    const projection = summaryProjection('async_summary');
    const runner = projectionRunner(store, projection, { pollIntervalMs: 10 });
    await runner.start();
    try {
      await waitFor(async () => (await runner.lag()) === 0);
      expect(await rows('async_summary')).toEqual(await rows('inline_summary'));
      await expect(
        rebuildProjection(store, projection, { subscription: projectionSubscriptionName(projection) }),
      ).rejects.toBeInstanceOf(SubscriptionBusyError);
    } finally {
      await runner.stop();
    }
    await db.dataSource.query(`DELETE FROM async_summary WHERE stream_id = 'case-3'`);
    await rebuildProjection(store, projection, { subscription: projectionSubscriptionName(projection) });
    expect(await rows('async_summary')).toEqual(await rows('inline_summary'));

    // The rebuild moved the checkpoint: restarting applies only what comes after, once.
    const inline = inlineProjections(summaryProjection('inline_summary'));
    await runner.start();
    try {
      await writeHistory(inline, 12, 15);
      await waitFor(async () => (await runner.lag()) === 0);
    } finally {
      await runner.stop();
    }
    expect(await rows('async_summary')).toEqual(await rows('inline_summary'));
  });
});
