/**
 * Event store throughput beside the raw baseline, printed as ratios. Not a test: run with
 *   npm run bench:event-store
 * (jest only as the TypeScript/ESM runner; one sanity expect on counts). Creates its own database.
 *
 * - appends/s at concurrency 1 and 16, one event per append, each on its own stream (expected
 *   version 0), against single-row INSERTs of the same payload into a bare table, same pool. The
 *   store runs as shipped (concurrent appends share statements and commits, see WriteCoalescer) and,
 *   on a second line, with coalescing off (one statement and one commit per append, as the raw
 *   INSERTs), so the gain from group commit and the per-append overhead are both visible;
 * - replay: readAll through the whole log (pages of 1000) against a raw keyset SELECT scan of the
 *   same rows and columns, same page size.
 * Rounds alternate store and raw so background load hits both; rates are medians over rounds and the
 * ratio is the median of the per-round (paired) ratios.
 */
import { jest } from '@jest/globals';
import os from 'node:os';
import { EventStore, START, type NewEvent } from '@talent/event-store';
import { createTestDatabase, type TestDatabase } from '../tests/support/db.js';

jest.setTimeout(30 * 60_000);

const APPENDS = Number(process.env.BENCH_APPENDS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PAGE = 1000;

const payload = {
  caseId: 'case-00000000-0000-4000-8000-000000000000',
  employeeId: 'emp-4711',
  fromLevel: 'IC3',
  toLevel: 'IC4',
  frameworkVersion: 'ce-career-development@2026.1',
  evidence: { quarters: ['2025Q1', '2025Q2', '2025Q3', '2025Q4'], nextLevelQuarter: '2025Q4' },
  note: 'Consistently high performance across leadership, business and technology.',
};
const metadata = {
  actorId: 'user-manager-17',
  actorRole: 'manager',
  occurredAt: '2026-03-01T09:00:00.000Z',
  correlationId: 'req-1b2c3d4e',
  causationId: 'cmd-5f6a7b8c',
};
const event: NewEvent = { type: 'PromotionRequested', payload, metadata };

interface RawPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<unknown>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function pool(n: number, concurrency: number, op: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) await op(i);
    }),
  );
}

describe('event store benchmark', () => {
  let db: TestDatabase;
  let store: EventStore;
  let uncoalesced: EventStore;
  beforeAll(async () => {
    db = await createTestDatabase(20);
    store = new EventStore(db.dataSource);
    uncoalesced = new EventStore(db.dataSource, { coalescing: false });
    await db.dataSource.query(
      'CREATE TABLE bench_raw (id bigserial PRIMARY KEY, stream_id text NOT NULL, payload jsonb NOT NULL)',
    );
  });
  afterAll(async () => {
    await db.drop();
  });

  it('prints appends/s and replay events/s beside the raw baseline', async () => {
    const [{ version }] = await db.dataSource.query<Array<{ version: string }>>('SELECT version()');
    const payloadJson = JSON.stringify(payload);
    console.log(
      [
        `machine: ${os.cpus()[0]?.model ?? '?'} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
        `postgres: ${version}`,
        `load average at start (1/5/15 min): ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')} (the machine is shared: compare ratios, not absolute rates)`,
        `appends per measurement: ${APPENDS}, rounds: ${ROUNDS}, payload ${Buffer.byteLength(payloadJson)} B + metadata ${Buffer.byteLength(JSON.stringify(metadata))} B`,
      ].join('\n'),
    );

    // The baseline takes the cheapest path there is: the same node-postgres pool, a named prepared
    // statement, autocommit; the store's fast path uses that pool too.
    const rawPool = (db.dataSource.driver as unknown as { master: RawPool }).master;
    let streamSeq = 0;
    const results: string[] = [];
    const variants = [
      { label: 'store', store },
      { label: 'store, coalescing off', store: uncoalesced },
    ];
    for (const concurrency of [1, 16]) {
      const storeRates = variants.map((): number[] => []);
      const rawRates: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        for (const [k, v] of variants.entries()) {
          const t = await timed(() =>
            pool(APPENDS, concurrency, async () => {
              await v.store.append(`bench-${streamSeq++}`, 'bench', 0, [event]);
            }),
          );
          storeRates[k].push(APPENDS / t);
        }
        const tRaw = await timed(() =>
          pool(APPENDS, concurrency, async () => {
            await rawPool.query({
              name: 'bench_raw_insert',
              text: 'INSERT INTO bench_raw (stream_id, payload) VALUES ($1, $2)',
              values: [`raw-${streamSeq++}`, payloadJson],
            });
          }),
        );
        rawRates.push(APPENDS / tRaw);
      }
      const r = median(rawRates);
      for (const [k, v] of variants.entries()) {
        const s = median(storeRates[k]);
        const ratio = median(storeRates[k].map((x, i) => x / rawRates[i]));
        results.push(
          `appends c=${String(concurrency).padStart(2)}: ${v.label} ${s.toFixed(0)}/s, raw INSERT ${r.toFixed(0)}/s, ratio ${ratio.toFixed(2)}` +
            `  (rounds store ${storeRates[k].map((x) => x.toFixed(0)).join('/')}, raw ${rawRates.map((x) => x.toFixed(0)).join('/')})`,
        );
      }
    }

    const [{ n }] = await db.dataSource.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM events');
    expect(n).toBe(2 * 2 * ROUNDS * APPENDS);
    await db.dataSource.query('VACUUM ANALYZE events');

    const replayRates: number[] = [];
    const scanRates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let seen = 0;
      const tReplay = await timed(async () => {
        let cp = START;
        for (;;) {
          const page = await store.readAll(cp, PAGE);
          seen += page.events.length;
          cp = page.checkpoint;
          if (page.events.length < PAGE) break;
        }
      });
      expect(seen).toBe(n);
      let scanned = 0;
      const tScan = await timed(async () => {
        let after = '0';
        for (;;) {
          const rows = await db.dataSource.query<Array<{ position: string }>>(
            `SELECT "position"::text AS "position", event_id, stream_id, stream_type, stream_version, tx_id::text AS tx_id,
               type, schema_version, payload, metadata, occurred_at, recorded_at, prev_hash, hash
             FROM events WHERE "position" > $1 ORDER BY events."position" LIMIT $2`,
            [after, PAGE],
          );
          scanned += rows.length;
          if (rows.length < PAGE) break;
          after = rows[rows.length - 1].position;
        }
      });
      expect(scanned).toBe(n);
      replayRates.push(n / tReplay);
      scanRates.push(n / tScan);
    }
    const rp = median(replayRates);
    const sc = median(scanRates);
    const replayRatio = median(replayRates.map((x, k) => x / scanRates[k]));
    results.push(
      `replay ${n} events: readAll ${rp.toFixed(0)} events/s, raw SELECT scan ${sc.toFixed(0)} rows/s, ratio ${replayRatio.toFixed(2)}` +
        `  (rounds readAll ${replayRates.map((x) => x.toFixed(0)).join('/')}, scan ${scanRates.map((x) => x.toFixed(0)).join('/')})`,
    );
    results.push(
      `load average at end: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(results.join('\n'));
  });
});
