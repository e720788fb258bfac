import { randomBytes, randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { WORK_QUEUES } from '@talent/use-cases';
import { bullConnection } from '../../../apps/worker/src/worker-config.js';
import { WorkQueues } from '../../../apps/worker/src/queues/work-queues.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { eventually, startTestWorker, type TestWorker } from '../../support/worker.js';

/**
 * PostgreSQL is the record of scheduled work; Redis only schedules. A row still `enqueued` long after
 * its time is sent to BullMQ again. When BullMQ still holds a finished (failed) job under the same id
 * — the job exceeded the stalled limit after two crashes mid-run, or its last failure was never
 * recorded because PostgreSQL was unreachable at that moment — adding the id again is a no-op in
 * BullMQ, so the re-send must replace the finished job, or the work waits for BullMQ's 7-day
 * failed-job cleanup.
 */
describe('dispatcher: a stale enqueued row whose BullMQ job already finished is run again', () => {
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `test-resend-${randomBytes(4).toString('hex')}`;
  let db: TestDatabase;
  let worker: TestWorker | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await worker?.close();
    await db.drop();
  });

  it('replaces the failed BullMQ job and records the outcome', async () => {
    const jobId = `test-resend-timer-${randomUUID()}`;
    const data = {
      caseType: 'roleOpening',
      caseId: randomUUID(),
      action: 'approvalDeadlinePassed',
      payload: {},
    };
    // The earlier life of the job: it ran and BullMQ moved it to failed; PostgreSQL never heard.
    const dead = new Worker(
      WORK_QUEUES.timers,
      async () => {
        throw new UnrecoverableError('the process that ran this died (simulated)');
      },
      { connection: bullConnection(redisUrl), prefix },
    );
    const failedOnce = new Promise<void>((resolve) => dead.on('failed', () => resolve()));
    const queue = new Queue(WORK_QUEUES.timers, { connection: bullConnection(redisUrl), prefix });
    await queue.add('case-timer', data, {
      jobId,
      attempts: 8,
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    await failedOnce;
    await dead.close();
    expect(await (await queue.getJob(jobId))?.getState()).toBe('failed');
    await db.dataSource.query(
      `INSERT INTO scheduled_jobs (job_id, queue, name, data, run_at, state, updated_at)
       VALUES ($1, 'timers', 'case-timer', $2, now() - interval '3 minutes', 'enqueued', now() - interval '2 minutes')`,
      [jobId, JSON.stringify(data)],
    );
    await queue.close();

    worker = await startTestWorker(db.url, { prefix });
    const row = await eventually(
      async () => {
        const [r] = await db.dataSource.query<Array<{ state: string; outcome: string | null }>>(
          'SELECT state, outcome FROM scheduled_jobs WHERE job_id = $1',
          [jobId],
        );
        return r.state === 'done' && r;
      },
      15000,
      'the stale row to run',
    ).catch(async (e: unknown) => {
      const job = await worker?.app.get(WorkQueues).get(WORK_QUEUES.timers).getJob(jobId);
      throw new Error(`${String(e)}; BullMQ job state: ${(await job?.getState()) ?? 'none'}`);
    });
    // the case does not exist: the run is a refusal, recorded as the job's outcome
    expect(row.outcome).toMatch(/^refused/);
  });
});
