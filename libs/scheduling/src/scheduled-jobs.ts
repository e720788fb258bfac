/** Anything that runs SQL: a DataSource, an EntityManager or a transaction's QueryRunner. */
export interface Sql {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export type JobState = 'pending' | 'enqueued' | 'done' | 'cancelled' | 'failed';

export interface ScheduledJob {
  jobId: string;
  queue: string;
  name: string;
  data: Record<string, unknown>;
  runAt: string;
  sourceEventId?: string;
}

export interface StoredJob extends ScheduledJob {
  state: JobState;
  attempts: number;
  lastError: string | null;
  outcome: string | null;
}

interface Raw {
  job_id: string;
  queue: string;
  name: string;
  data: Record<string, unknown>;
  run_at: Date;
  state: JobState;
  attempts: number;
  last_error: string | null;
  outcome: string | null;
  source_event_id: string | null;
}

const fromRaw = (r: Raw): StoredJob => ({
  jobId: r.job_id,
  queue: r.queue,
  name: r.name,
  data: r.data,
  runAt: r.run_at.toISOString(),
  state: r.state,
  attempts: r.attempts,
  lastError: r.last_error,
  outcome: r.outcome,
  ...(r.source_event_id ? { sourceEventId: r.source_event_id } : {}),
});

const JOB_ID = /^[A-Za-z0-9_.-]{1,250}$/;

/**
 * Records jobs (idempotent on job id: the relay may see an event twice after a crash, and the same
 * timer is planned again with the same deterministic id). Returns the ids that were new.
 */
export async function scheduleJobs(sql: Sql, jobs: readonly ScheduledJob[]): Promise<string[]> {
  const created: string[] = [];
  for (const job of jobs) {
    if (!JOB_ID.test(job.jobId))
      throw new Error(`job id '${job.jobId}' must be 1-250 of [A-Za-z0-9_.-] (BullMQ forbids ':')`);
    const rows = (await sql.query(
      `INSERT INTO scheduled_jobs (job_id, queue, name, data, run_at, source_event_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (job_id) DO NOTHING
       RETURNING job_id`,
      [job.jobId, job.queue, job.name, JSON.stringify(job.data), job.runAt, job.sourceEventId ?? null],
    )) as Array<{ job_id: string }>;
    if (rows.length) created.push(job.jobId);
  }
  return created;
}

/** Cancels jobs not yet done; returns those that were cancelled (the dispatcher removes them from BullMQ). */
export async function cancelJobs(sql: Sql, jobIds: readonly string[]): Promise<string[]> {
  if (jobIds.length === 0) return [];
  const rows = (await sql.query(
    `UPDATE scheduled_jobs SET state = 'cancelled', updated_at = now()
      WHERE job_id = ANY($1::text[]) AND state IN ('pending', 'enqueued') RETURNING job_id`,
    [jobIds],
  )) as Array<{ job_id: string }>;
  return rows.map((r) => r.job_id);
}

export async function findJob(sql: Sql, jobId: string): Promise<StoredJob | undefined> {
  const rows = (await sql.query('SELECT * FROM scheduled_jobs WHERE job_id = $1', [jobId])) as Raw[];
  return rows[0] ? fromRaw(rows[0]) : undefined;
}

/**
 * Rows the dispatcher should (re)send to BullMQ: pending ones, and enqueued ones whose time passed
 * more than `staleAfterMs` ago without being done (Redis lost them, or their run died).
 */
export async function jobsToDispatch(
  sql: Sql,
  now: string,
  staleAfterMs: number,
  limit: number,
): Promise<StoredJob[]> {
  const rows = (await sql.query(
    `SELECT * FROM scheduled_jobs
      WHERE state = 'pending'
         OR (state = 'enqueued' AND run_at < $1::timestamptz - make_interval(secs => $2::double precision / 1000)
             AND updated_at < $1::timestamptz - make_interval(secs => $2::double precision / 1000))
      ORDER BY run_at LIMIT $3`,
    [now, staleAfterMs, limit],
  )) as Raw[];
  return rows.map(fromRaw);
}

export async function markEnqueued(sql: Sql, jobIds: readonly string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await sql.query(
    `UPDATE scheduled_jobs SET state = 'enqueued', updated_at = now() WHERE job_id = ANY($1::text[]) AND state IN ('pending', 'enqueued')`,
    [jobIds],
  );
}

/** Marks a job's effect done; false when it was already done or cancelled (so the run must do nothing). */
export async function markDone(sql: Sql, jobId: string, outcome?: string): Promise<boolean> {
  const rows = (await sql.query(
    `UPDATE scheduled_jobs SET state = 'done', attempts = attempts + 1, outcome = $2, updated_at = now()
      WHERE job_id = $1 AND state IN ('pending', 'enqueued') RETURNING job_id`,
    [jobId, outcome ?? null],
  )) as unknown[];
  return rows.length > 0;
}

export async function markAttemptFailed(
  sql: Sql,
  jobId: string,
  error: string,
  final: boolean,
): Promise<void> {
  await sql.query(
    `UPDATE scheduled_jobs SET attempts = attempts + 1, last_error = $2, state = CASE WHEN $3 THEN 'failed' ELSE state END, updated_at = now()
      WHERE job_id = $1 AND state IN ('pending', 'enqueued')`,
    [jobId, error.slice(0, 2000), final],
  );
}

export async function jobCounts(sql: Sql): Promise<Record<JobState, number>> {
  const rows = (await sql.query(
    `SELECT state, count(*)::int AS n FROM scheduled_jobs GROUP BY state`,
  )) as Array<{ state: JobState; n: number }>;
  const counts: Record<JobState, number> = { pending: 0, enqueued: 0, done: 0, cancelled: 0, failed: 0 };
  for (const r of rows) counts[r.state] = r.n;
  return counts;
}
