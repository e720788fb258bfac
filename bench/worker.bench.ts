/**
 * Worker benchmarks. Not a test: run with
 *   npm run bench:worker
 * (jest only as the TypeScript/ESM runner; sanity expects on counts). Creates its own databases and
 * uses its own BullMQ prefix on the local Redis (TEST_REDIS_URL).
 *
 * 1. Opening a cycle: CycleEligibilityService.evaluate (every employee of the framework, every next
 *    role, as of the cycle's date) for 1,000 and then 10,000 synthetic employees of the seed CE
 *    framework (EmployeeHired + five quarterly ratings each, appended through the EventStore, plus
 *    their directory rows); then the same 10,000 through the worker as a `cycle-eligibility` job
 *    (evaluation + one digest notification per manager), from its due time to its done mark.
 * 2. Timer firing delay: 10,000 `case-timer` jobs written to scheduled_jobs (as the relay would) for
 *    cases that do not exist, so each run is a real job (row lookup, command refused by the case
 *    service, done mark) with no case work; delay = done mark - run_at. Twice: spread evenly over
 *    10 s, and all due at the same instant (a burst).
 */
import { jest } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { Redis } from 'ioredis';
import { EventStore, type NewEvent } from '@talent/event-store';
import {
  buildUpcasters,
  CycleEligibilityService,
  EligibilityContextReader,
  FrameworkCatalogReader,
} from '@talent/use-cases';
import { startTestApi, type TestApi } from '../tests/support/api.js';
import { createTestDatabase } from '../tests/support/db.js';
import { publishSeedFrameworks } from '../tests/support/frameworks.js';
import { eventually, startTestWorker } from '../tests/support/worker.js';

jest.setTimeout(30 * 60_000);

const FRAMEWORK = 'ce-career-development';
const SIZES = (process.env.BENCH_EMPLOYEES ?? '1000,10000').split(',').map(Number);
const TIMERS = Number(process.env.BENCH_TIMERS ?? 10_000);
const REPORTS_PER_MANAGER = 8;
const AS_OF = '2026-07-15';

const out = (line: string) => process.stdout.write(`${line}\n`);
const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function pool(n: number, concurrency: number, op: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) await op(i);
    }),
  );
}

const QUARTERS = ['2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2'];
const quarterStart = (q: string) => {
  const [y, n] = q.split('-Q').map(Number);
  return `${y}-${String((n - 1) * 3 + 1).padStart(2, '0')}-01`;
};
const LEVELS = ['IC1', 'IC2', 'IC3', 'IC4', 'IC5'];

/** One synthetic employee: a mix of promotable, one-quarter-short and steady performers. */
function employeeEvents(i: number): { id: string; managerId: string; level: string; events: NewEvent[] } {
  const id = `bench-${String(i).padStart(6, '0')}`;
  const managerId = `bench-mgr-${String(Math.floor(i / REPORTS_PER_MANAGER)).padStart(5, '0')}`;
  const level = LEVELS[i % LEVELS.length];
  const metadata = {
    actorId: 'hr-bench',
    actorRole: 'hr',
    occurredAt: '2026-07-01T09:00:00.000Z',
    correlationId: `bench-${i}`,
    causationId: `bench-${i}`,
  };
  const base = { employeeId: id };
  const events: NewEvent[] = [
    {
      type: 'EmployeeHired',
      payload: {
        ...base,
        name: `Bench ${i}`,
        email: `${id}@example.com`,
        team: `team-${i % 40}`,
        managerId,
        frameworkId: FRAMEWORK,
        track: 'ic',
        roleId: level,
        effectiveDate: '2024-01-08',
      },
      metadata,
    },
  ];
  const profile = i % 3; // 0: promotable, 1: high but never at next level, 2: meets
  QUARTERS.forEach((quarter, qi) => {
    const rating =
      profile === 2 ? 'meets' : profile === 0 && qi === QUARTERS.length - 1 ? 'at-next-level' : 'high';
    events.push({
      type: 'QuarterlyRatingRecorded',
      payload: {
        ...base,
        quarter,
        effectiveDate: quarterStart(quarter),
        ratings: { leadership: rating, business: rating, technology: rating },
      },
      metadata,
    });
  });
  return { id, managerId, level, events };
}

async function machineInfo(store: EventStore, redisUrl: string): Promise<string> {
  const [{ version }] = await store.dataSource.query<Array<{ version: string }>>('SELECT version()');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const info = await redis.info('server');
  redis.disconnect();
  const redisVersion = /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
  const cpus = os.cpus();
  return [
    `machine: ${cpus.length} x ${cpus[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (shared with other work)`,
    `node ${process.version}; ${version.split(' on ')[0]}; redis ${redisVersion}`,
  ].join('\n');
}

describe('worker benchmark', () => {
  let api: TestApi;
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

  beforeAll(async () => {
    api = await startTestApi();
    await publishSeedFrameworks(api);
  });
  afterAll(async () => {
    await api.close();
  });

  it('opens a cycle for 1,000 and 10,000 employees', async () => {
    const ds = await api.db.connect(20);
    const store = new EventStore(ds, { upcasters: buildUpcasters() });
    const service = new CycleEligibilityService(
      store,
      new FrameworkCatalogReader(store),
      new EligibilityContextReader(store),
    );
    const frameworkVersion = (await new FrameworkCatalogReader(store).get(FRAMEWORK)).version;
    out(await machineInfo(store, redisUrl));
    out(`\n## opening a cycle (${FRAMEWORK}, as of ${AS_OF}; ${REPORTS_PER_MANAGER} reports per manager)`);
    out('employees | setup s (append+directory) | evaluate s | ms/employee | verdicts | eligible');

    let have = 0;
    let prevPerEmployee: number | undefined;
    const results: Array<{ n: number; s: number }> = [];
    for (const size of SIZES) {
      const t0 = process.hrtime.bigint();
      const batch = Array.from({ length: size - have }, (_, k) => employeeEvents(have + k));
      await pool(batch.length, 8, async (k) => {
        const e = batch[k];
        await store.append(`employee-${e.id}`, 'employee', 0, e.events);
      });
      for (let k = 0; k < batch.length; k += 2000) {
        const part = batch.slice(k, k + 2000);
        await ds.query(
          `INSERT INTO employees (employee_id, name, email, team, manager_id, framework_id, track, role_id, hired_on, version, updated_at)
           SELECT id, 'Bench ' || id, id || '@example.com', 'team-bench', m, $1, 'ic', r, '2024-01-08', 6, now()
             FROM unnest($2::text[], $3::text[], $4::text[]) AS t(id, m, r)`,
          [FRAMEWORK, part.map((e) => e.id), part.map((e) => e.managerId), part.map((e) => e.level)],
        );
      }
      const setup = secs(t0);
      have = size;
      const cycleId = randomUUID();
      // best of two rounds (the machine is shared; the second round re-upserts the same rows)
      let s = Infinity;
      let summary: Awaited<ReturnType<CycleEligibilityService['evaluate']>> | undefined;
      for (let round = 0; round < 2; round++) {
        const t1 = process.hrtime.bigint();
        summary = await service.evaluate({ cycleId, frameworkId: FRAMEWORK, frameworkVersion, asOf: AS_OF });
        s = Math.min(s, secs(t1));
      }
      if (!summary) throw new Error('unreachable');
      expect(summary.employees).toBe(size);
      const perEmployee = (s * 1000) / size;
      results.push({ n: size, s });
      out(
        `${String(size).padStart(9)} | ${setup.toFixed(1).padStart(26)} | ${s.toFixed(2).padStart(10)} | ${perEmployee
          .toFixed(3)
          .padStart(11)} | ${String(summary.verdicts).padStart(8)} | ${summary.eligible}`,
      );
      if (prevPerEmployee !== undefined)
        out(
          `  per-employee cost x${(perEmployee / prevPerEmployee).toFixed(2)} vs the previous size (1.00 = linear)`,
        );
      prevPerEmployee = perEmployee;
    }
    const last = results[results.length - 1];
    expect(last.s).toBeLessThan(60);

    // The same cycle opening as the worker runs it: evaluation plus one digest per manager.
    const worker = await startTestWorker(api.db.url, {
      prefix: `bench-${randomBytes(4).toString('hex')}`,
      pollMs: 200,
    });
    try {
      const catchUp = process.hrtime.bigint();
      const [{ n: logSize }] = await ds.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM events');
      await eventually(
        async () => {
          const [lag] = await ds.query<Array<{ n: number }>>(
            `SELECT coalesce(max(n), 0)::int AS n FROM (SELECT (SELECT count(*) FROM events e WHERE (e.tx_id, e.position) > (c.tx_id, c.position)) AS n
               FROM subscription_checkpoints c) x`,
          );
          return lag.n === 0;
        },
        600_000,
        'the worker subscriptions to catch up with the employee streams',
      );
      const caughtUp = secs(catchUp);
      out(
        `worker start on this log: its subscriptions (relay, notifications, event bus) read ${logSize} events in ` +
          `${caughtUp.toFixed(1)} s (${Math.round(logSize / caughtUp)} events/s)`,
      );
      const cycleId = randomUUID();
      const jobId = `bench-cycle-eligibility-${cycleId}`;
      await ds.query(
        `INSERT INTO scheduled_jobs (job_id, queue, name, data, run_at) VALUES ($1, 'effects', 'cycle-eligibility', $2, now())`,
        [jobId, JSON.stringify({ cycleId, frameworkId: FRAMEWORK, frameworkVersion, asOf: AS_OF })],
      );
      const [row] = await eventually(
        async () => {
          const r = await ds.query<Array<{ state: string; ms: number; outcome: string }>>(
            `SELECT state, extract(epoch FROM updated_at - run_at) * 1000 AS ms, outcome FROM scheduled_jobs WHERE job_id = $1`,
            [jobId],
          );
          return r[0]?.state === 'done' && r;
        },
        600_000,
        'the cycle-eligibility job',
      );
      const [digests] = await ds.query<Array<{ n: number }>>(
        `SELECT count(DISTINCT recipient_id)::int AS n FROM notifications WHERE event_type = 'EligibilityDigest' AND stream_id = $1`,
        [cycleId],
      );
      out(
        `through the worker: cycle-eligibility job for ${have} employees done ${(Number(row.ms) / 1000).toFixed(2)} s ` +
          `after its due time (${row.outcome}; digests to ${digests.n} managers)`,
      );
      expect(digests.n).toBeGreaterThan(0);
    } finally {
      await worker.close();
    }
  });

  it('fires 10,000 due timers: delay from run_at to done', async () => {
    const db = await createTestDatabase(20);
    const worker = await startTestWorker(db.url, {
      prefix: `bench-${randomBytes(4).toString('hex')}`,
      pollMs: 200,
    });
    try {
      out(
        `\n## timer firing delay (case-timer jobs, worker concurrency ${worker.config.WORKER_CONCURRENCY})`,
      );
      out('shape | p50 ms | p95 ms | p99 ms | max ms | throughput jobs/s');
      const shapes = [
        { shape: 'trickle (20/s)', n: 200, spreadMs: 10_000 },
        { shape: `spread over 10 s`, n: TIMERS, spreadMs: 10_000 },
        { shape: 'burst (all due at once)', n: TIMERS, spreadMs: 0 },
      ];
      for (const { shape, n, spreadMs } of shapes) {
        const tag = randomBytes(3).toString('hex');
        await db.dataSource.query(
          `INSERT INTO scheduled_jobs (job_id, queue, name, data, run_at)
           SELECT 'bench-timer-' || $1 || '-' || i, 'timers', 'case-timer',
                  jsonb_build_object('caseType', 'roleOpening', 'caseId', gen_random_uuid()::text,
                                     'action', 'approvalDeadlinePassed', 'payload', '{}'::jsonb),
                  now() + interval '5 seconds' + (i * $3::double precision / $2) * interval '1 millisecond'
             FROM generate_series(0, $2 - 1) AS i`,
          [tag, n, spreadMs],
        );
        await eventually(
          async () => {
            const [r] = await db.dataSource.query<Array<{ n: number }>>(
              `SELECT count(*)::int AS n FROM scheduled_jobs WHERE job_id LIKE $1 AND state <> 'done'`,
              [`bench-timer-${tag}-%`],
            );
            return r.n === 0;
          },
          600_000,
          'every timer to fire',
        );
        const [stats] = await db.dataSource.query<
          Array<{ p50: number; p95: number; p99: number; max: number; span: number; refused: number }>
        >(
          `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS p50,
                  percentile_cont(0.95) WITHIN GROUP (ORDER BY d) AS p95,
                  percentile_cont(0.99) WITHIN GROUP (ORDER BY d) AS p99,
                  max(d) AS max,
                  extract(epoch FROM max(updated_at) - min(run_at)) AS span,
                  count(*) FILTER (WHERE outcome LIKE 'refused%')::int AS refused
             FROM (SELECT extract(epoch FROM updated_at - run_at) * 1000 AS d, updated_at, run_at, outcome
                     FROM scheduled_jobs WHERE job_id LIKE $1) x`,
          [`bench-timer-${tag}-%`],
        );
        expect(stats.refused).toBe(n);
        out(
          `${shape.padEnd(24)} | ${Number(stats.p50).toFixed(0).padStart(6)} | ${Number(stats.p95)
            .toFixed(0)
            .padStart(6)} | ${Number(stats.p99).toFixed(0).padStart(6)} | ${Number(stats.max)
            .toFixed(0)
            .padStart(
              6,
            )} | ${spreadMs === 0 ? (n / Number(stats.span)).toFixed(0) : `(arrivals ${Math.round((n * 1000) / spreadMs)}/s)`}`,
        );
      }
    } finally {
      await worker.close();
      await db.drop();
    }
  });
});
