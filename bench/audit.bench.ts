/**
 * Audit query bench: 1,000,000 events (50k employees x 8 facts, 100k cases x 4..8 events, ~110k
 * stream_subjects rows) bulk-loaded with INSERT ... SELECT generate_series into a fresh database,
 * then the median of several runs of each audit query beside what PostgreSQL scanned for it.
 *
 *   node --experimental-vm-modules node_modules/jest/bin/jest.js --rootDir . --testMatch '**\/bench/audit.bench.ts'
 *
 * Jest matches this file in both configured projects; the second to start skips (see `claimRun`).
 */
import { randomBytes } from 'node:crypto';
import { openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '@talent/database';
import {
  actorActivity,
  approvals,
  caseHistory,
  employeeTimeline,
  exportRows,
  streamEventsAsOf,
  waiversGranted,
  type AuditDb,
} from '@talent/audit';
import { urlFor, withAdmin } from '../tests/support/db.js';

/** AUDIT_BENCH_SCALE=0.1 for a quick run (100k events). */
const SCALE = Number(process.env.AUDIT_BENCH_SCALE ?? '1');
const EMPLOYEES = Math.round(50_000 * SCALE);
const FACTS_PER_EMPLOYEE = 8; // 400k
const CASES = Math.round(100_000 * SCALE); // 4..8 events each: 600k
const RUNS = 9;

/** One run per jest invocation, whichever project gets here first. */
function claimRun(): boolean {
  const mainPid = typeof process.send === 'function' ? process.ppid : process.pid;
  try {
    closeSync(openSync(join(tmpdir(), `talent-audit-bench-${mainPid}.lock`), 'wx'));
    return true;
  } catch {
    return false;
  }
}

/** Case stream types by c % 100, with the word their event types start with. */
const CASE_KIND_SQL = `
  CASE WHEN c % 100 < 50 THEN 1 WHEN c % 100 < 65 THEN 2 WHEN c % 100 < 80 THEN 3
       WHEN c % 100 < 90 THEN 4 WHEN c % 100 < 98 THEN 5 ELSE 6 END`;

const LOAD_SQL = `
INSERT INTO events (event_id, stream_id, stream_type, stream_version, type, schema_version, payload, metadata,
                    occurred_at, prev_hash, hash)
SELECT gen_random_uuid(), stream_id, stream_type, v, type, 1, payload,
       jsonb_build_object('actorId', actor, 'actorRole', role,
                          'occurredAt', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                          'correlationId', md5(stream_id || v), 'causationId', md5(stream_id || v || 'c'))
         || CASE WHEN reason IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('reason', reason) END,
       at,
       CASE WHEN v = 1 THEN NULL ELSE sha256(convert_to(stream_id || ':' || (v - 1), 'UTF8')) END,
       sha256(convert_to(stream_id || ':' || v, 'UTF8'))
FROM (
  -- employee facts: hired, then a fact about every 80 days
  SELECT 'employee-E' || e AS stream_id, 'employee' AS stream_type, v,
         CASE v WHEN 1 THEN 'Hired' WHEN 4 THEN 'SmeSkillsetCertified' WHEN 6 THEN 'CoachingEvidenceRecorded'
                WHEN 8 THEN 'LevelChanged' ELSE 'QuarterlyRatingRecorded' END AS type,
         jsonb_build_object('employeeId', 'E' || e, 'quarter', 'Q' || v, 'technology', 'high') AS payload,
         CASE WHEN v = 1 THEN 'hr-' || (e % 50) ELSE 'mgr-' || (e % 5000) END AS actor,
         CASE WHEN v = 1 THEN 'hr' ELSE 'manager' END AS role,
         NULL::text AS reason,
         timestamptz '2024-01-01 00:00:00+00' + (e % 300) * interval '1 day' + (e % 86400) * interval '1 second'
           + (v - 1) * interval '80 days' AS at
  FROM generate_series(1, ${EMPLOYEES}) e, generate_series(1, ${FACTS_PER_EMPLOYEE}) v
  UNION ALL
  -- cases: requested by the employee, checked by the system, worked by the manager, decided by leadership
  SELECT md5('case-' || c)::uuid::text, kinds.stream_type, v,
         CASE WHEN v = 1 THEN kinds.word || 'Requested'
              WHEN v = 2 THEN 'EligibilityChecked'
              WHEN v = n THEN kinds.word || CASE WHEN kinds.k = 3 THEN (CASE WHEN c % 4 = 0 THEN 'Denied' ELSE 'Granted' END)
                                                 ELSE (CASE WHEN c % 4 = 0 THEN 'Rejected' ELSE 'Approved' END) END
              ELSE kinds.word || 'Step' || v END,
         CASE WHEN kinds.k = 3
              THEN jsonb_build_object('employeeId', 'E' || subj, 'requirementIds',
                     jsonb_build_array((ARRAY['time-at-level','peer-review','sme-count','documented-need','tenure-on-team'])[1 + c % 5])
                     || CASE WHEN c % 3 = 0 THEN '["peer-review"]'::jsonb ELSE '[]'::jsonb END)
              ELSE jsonb_build_object('employeeId', 'E' || subj, 'note', 'step ' || v) END,
         CASE WHEN v = 1 THEN 'E' || subj WHEN v = 2 THEN 'system' WHEN v = n THEN 'lead-' || (c % 200)
              ELSE 'mgr-' || (subj % 5000) END,
         CASE WHEN v = 1 THEN 'employee' WHEN v = 2 THEN 'system' WHEN v = n THEN 'leadership' ELSE 'manager' END,
         CASE WHEN v = n THEN 'decided in calibration ' || (c % 40) END,
         timestamptz '2024-01-01 00:00:00+00' + ((c::bigint * 104729) % (900 * 86400)) * interval '1 second'
           + (v - 1) * interval '2 days'
  FROM (SELECT c, 1 + (c::bigint * 7919) % ${EMPLOYEES} AS subj, 4 + c % 5 AS n, ${CASE_KIND_SQL} AS k
        FROM generate_series(1, ${CASES}) c) cs
  JOIN (VALUES (1, 'promotion', 'Promotion'), (2, 'transfer', 'Transfer'), (3, 'waiver', 'Waiver'),
               (4, 'designation', 'Designation'), (5, 'opening', 'Opening'), (6, 'reviewCycle', 'ReviewCycle'))
       AS kinds(k, stream_type, word) ON kinds.k = cs.k
  CROSS JOIN LATERAL generate_series(1, cs.n) v
) x
ORDER BY at`;

const SUBJECTS_SQL = `
INSERT INTO stream_subjects (stream_id, employee_id)
SELECT md5('case-' || c)::uuid::text, 'E' || (1 + (c::bigint * 7919) % ${EMPLOYEES}) FROM generate_series(1, ${CASES}) c
UNION
SELECT md5('case-' || c)::uuid::text, 'E' || (1 + (c::bigint * 31) % ${EMPLOYEES}) FROM generate_series(1, ${CASES}) c WHERE c % 10 = 0`;

interface Explained {
  executionMs: number;
  rowsScanned: number;
  buffers: number;
  nodes: string[];
}

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

function walk(node: PlanNode, acc: Explained): void {
  const type = String(node['Node Type']);
  const loops = Number(node['Actual Loops'] ?? 1);
  // Rows read from tables and indexes (a bitmap's rows are counted at its heap scan).
  if (node['Relation Name'] !== undefined || type === 'Index Only Scan') {
    const rows = Number(node['Actual Rows'] ?? 0);
    const removed =
      Number(node['Rows Removed by Filter'] ?? 0) + Number(node['Rows Removed by Index Recheck'] ?? 0);
    acc.rowsScanned += (rows + removed) * loops;
    const index = typeof node['Index Name'] === 'string' ? ` ${node['Index Name']}` : '';
    const relation = typeof node['Relation Name'] === 'string' ? ` on ${node['Relation Name']}` : '';
    acc.nodes.push(`${type}${index}${relation}`);
  }
  for (const child of node.Plans ?? []) walk(child, acc);
}

async function explain(ds: DataSource, sql: string, params: unknown[]): Promise<Explained> {
  const rows: Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode; 'Execution Time': number }> }> = await ds.query(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
    params,
  );
  const top = rows[0]['QUERY PLAN'][0];
  const acc: Explained = { executionMs: top['Execution Time'], rowsScanned: 0, buffers: 0, nodes: [] };
  walk(top.Plan, acc);
  acc.buffers = Number(top.Plan['Shared Hit Blocks'] ?? 0) + Number(top.Plan['Shared Read Blocks'] ?? 0);
  return acc;
}

/** Runs `fn` RUNS times against a recorder; returns the median wall time and the plan of the SQL it ran. */
async function measure(
  ds: DataSource,
  label: string,
  fn: (db: AuditDb) => Promise<{ rows: number }>,
): Promise<Record<string, string | number>> {
  const times: number[] = [];
  let statements: Array<{ sql: string; params: unknown[] }> = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const seen: Array<{ sql: string; params: unknown[] }> = [];
    const recorder = {
      query: (sql: string, params?: unknown[]) => {
        seen.push({ sql, params: params ?? [] });
        return ds.query(sql, params);
      },
    };
    const t = performance.now();
    rows = (await fn(recorder)).rows;
    times.push(performance.now() - t);
    statements = seen;
  }
  times.sort((a, b) => a - b);
  const plans = await Promise.all(statements.map((s) => explain(ds, s.sql, s.params)));
  return {
    query: label,
    'median ms': Number(times[Math.floor(times.length / 2)].toFixed(2)),
    'min ms': Number(times[0].toFixed(2)),
    'pg exec ms': Number(plans.reduce((s, p) => s + p.executionMs, 0).toFixed(2)),
    'rows returned': rows,
    'rows scanned': plans.reduce((s, p) => s + p.rowsScanned, 0),
    buffers: plans.reduce((s, p) => s + p.buffers, 0),
    plan: [...new Set(plans.flatMap((p) => p.nodes))].join('; '),
  };
}

const run = claimRun();
const maybe = run ? describe : describe.skip;

maybe('audit bench (1M events)', () => {
  // AUDIT_BENCH_DB=<name> reuses a database loaded (and kept with AUDIT_BENCH_KEEP=1) by an earlier run.
  const reuse = process.env.AUDIT_BENCH_DB;
  const keep = process.env.AUDIT_BENCH_KEEP === '1' || reuse !== undefined;
  const name = reuse ?? `audit_bench_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  let ds: DataSource;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    if (reuse === undefined) await load();
    ds = createDataSource({ url: urlFor(name), poolSize: 2, applicationName: 'audit-bench' });
    await ds.initialize();
  }, 600_000);

  async function load(): Promise<void> {
    await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
    await migrate({ url: urlFor(name) });
    const client = new pg.Client({ connectionString: urlFor(name) });
    await client.connect();
    try {
      await client.query(
        `SET work_mem = '256MB'; SET maintenance_work_mem = '512MB'; SET synchronous_commit = off`,
      );
      // Build the secondary indexes after the load (as a restore would): same definitions, re-created.
      const secondary: Array<{ indexname: string; indexdef: string }> = (
        await client.query(
          `SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.schemaname = 'public' AND i.tablename IN ('events', 'stream_subjects')
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
        )
      ).rows;
      let t = performance.now();
      for (const ix of secondary) await client.query(`DROP INDEX "${ix.indexname}"`);
      await client.query(LOAD_SQL);
      timings['insert events'] = performance.now() - t;
      t = performance.now();
      await client.query(SUBJECTS_SQL);
      timings['insert stream_subjects'] = performance.now() - t;
      t = performance.now();
      for (const ix of secondary) await client.query(ix.indexdef);
      timings['create secondary indexes'] = performance.now() - t;
      t = performance.now();
      await client.query('VACUUM (ANALYZE) events');
      await client.query('VACUUM (ANALYZE) stream_subjects');
      timings['vacuum analyze'] = performance.now() - t;
    } finally {
      await client.end();
    }
  }

  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    if (keep) console.log(`kept database ${name}`);
    else await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }, 120_000);

  it('times the audit queries', async () => {
    const counts: Array<{ events: string; streams: string; subjects: string; size: string }> = await ds.query(
      `SELECT (SELECT count(*) FROM events)::text AS events,
              (SELECT count(DISTINCT stream_id) FROM events)::text AS streams,
              (SELECT count(*) FROM stream_subjects)::text AS subjects,
              pg_size_pretty(pg_total_relation_size('events')) AS size`,
    );
    const caseId: string = (await ds.query(`SELECT md5('case-' || 4242)::uuid::text AS id`))[0].id;
    const waiverCase: string = (await ds.query(`SELECT md5('case-' || 4270)::uuid::text AS id`))[0].id;
    const busyEmployee: string = (
      await ds.query(`SELECT employee_id FROM stream_subjects GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`)
    )[0].employee_id;
    const lifecycle = (await caseHistory(ds, caseId)).items;
    const caseMidLife = lifecycle[Math.floor(lifecycle.length / 2)].occurredAt;
    const quarter = { from: '2025-04-01T00:00:00.000Z', to: '2025-07-01T00:00:00.000Z' };
    const month = { from: '2025-05-01T00:00:00.000Z', to: '2025-06-01T00:00:00.000Z' };
    const page = async <T>(p: Promise<{ items: T[] }>) => ({ rows: (await p).items.length });
    let tenthPage: string | undefined;
    for (let i = 0; i < 9; i++) {
      tenthPage =
        (await actorActivity(ds, 'system', { ...month, limit: 100, after: tenthPage })).nextCursor ??
        undefined;
    }

    const results = [
      await measure(ds, 'caseHistory (1 case, first page)', (db) =>
        page(caseHistory(db, caseId, { limit: 100 })),
      ),
      await measure(ds, 'caseHistory (waiver case)', (db) =>
        page(caseHistory(db, waiverCase, { limit: 100 })),
      ),
      await measure(ds, `employeeTimeline (${busyEmployee}, busiest: facts + cases)`, (db) =>
        page(employeeTimeline(db, busyEmployee, { limit: 100 })),
      ),
      await measure(ds, 'employeeTimeline (E777, one quarter)', (db) =>
        page(employeeTimeline(db, 'E777', { ...quarter, limit: 100 })),
      ),
      await measure(ds, 'actorActivity (mgr-123, one quarter)', (db) =>
        page(actorActivity(db, 'mgr-123', { ...quarter, limit: 100 })),
      ),
      await measure(ds, 'actorActivity (lead-7, one quarter)', (db) =>
        page(actorActivity(db, 'lead-7', { ...quarter, limit: 100 })),
      ),
      await measure(ds, 'actorActivity (system, one month, first page)', (db) =>
        page(actorActivity(db, 'system', { ...month, limit: 100 })),
      ),
      await measure(ds, 'actorActivity (system, one month, 10th page)', (db) =>
        page(actorActivity(db, 'system', { ...month, limit: 100, after: tenthPage })),
      ),
      await measure(ds, 'approvals (one month, first page)', (db) =>
        page(approvals(db, { ...month, limit: 100 })),
      ),
      await measure(ds, 'approvals (lead-7, one quarter)', (db) =>
        page(approvals(db, { ...quarter, approverId: 'lead-7', limit: 100 })),
      ),
      await measure(ds, 'waiversGranted (one quarter, page + counts)', (db) =>
        page(waiversGranted(db, { ...quarter, limit: 100 })),
      ),
      await measure(ds, 'streamEventsAsOf (case, mid-life)', async (db) => ({
        rows: (await streamEventsAsOf(db, caseId, caseMidLife)).length,
      })),
      await measure(ds, 'streamEventsAsOf (employee-E777, 2025-01-01)', async (db) => ({
        rows: (await streamEventsAsOf(db, 'employee-E777', '2025-01-01T00:00:00.000Z')).length,
      })),
    ];
    const exports: string[] = [];
    const year = { from: '2025-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' };
    const runs = [
      { format: 'ndjson', label: 'one month', period: month },
      { format: 'csv', label: 'one month', period: month },
      { format: 'ndjson', label: 'one year', period: year },
    ] as const;
    for (const { format, label, period } of runs) {
      const t = performance.now();
      let bytes = 0;
      let chunks = 0;
      let lines = 0;
      const before = process.memoryUsage().rss;
      let peak = before;
      for await (const chunk of exportRows(ds, { kind: 'period', ...period }, format, { pageSize: 1000 })) {
        const b = chunk as Buffer;
        bytes += b.length;
        chunks++;
        for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
        if (chunks % 10 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      }
      const ms = performance.now() - t;
      exports.push(
        `  export ${format.padEnd(6)} ${label.padEnd(9)}: ${lines} lines, ${(bytes / 1e6).toFixed(1)} MB in ${chunks} chunks, ${(ms / 1000).toFixed(2)} s (${Math.round((lines / ms) * 1000)} rows/s), peak RSS +${((peak - before) / 1e6).toFixed(0)} MB`,
      );
    }
    console.log(
      [
        `audit bench: ${counts[0].events} events in ${counts[0].streams} streams (${counts[0].size}), ${counts[0].subjects} stream_subjects rows`,
        reuse !== undefined
          ? `load: reused ${reuse}`
          : `load: ${Object.entries(timings)
              .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
              .join(', ')}`,
        `median of ${RUNS} runs (wall, through TypeORM/pg) beside EXPLAIN (ANALYZE) of the same SQL:`,
        ...results.map(
          (r) =>
            `  ${String(r.query).padEnd(56)} ${String(r['median ms']).padStart(7)} ms  (pg ${String(r['pg exec ms']).padStart(6)} ms)  rows ${String(r['rows returned']).padStart(4)}  scanned ${String(r['rows scanned']).padStart(6)}  buffers ${String(r.buffers).padStart(5)}  ${String(r.plan)}`,
        ),
        ...exports,
      ].join('\n'),
    );
    for (const r of results) expect(Number(r['median ms'])).toBeLessThan(1000);
  }, 600_000);
});
