import { Redis } from 'ioredis';
import pg from 'pg';
import { startTestApi, type TestApi } from '../../support/api.js';
import { publishSeedFrameworks } from '../../support/frameworks.js';
import { cases, OrgFactory, type Person } from '../../support/org.js';
import {
  ensureWorkerBuild,
  smtpSink,
  spawnWorker,
  type SmtpSink,
  type WorkerProcess,
} from '../../support/processes.js';
import { eventually } from '../../support/worker.js';

/**
 * The built worker runs as a real child process and is SIGKILLed at the worst moment we can pin down:
 *
 * - the effect job that records the promotion's LevelChanged has committed its event but not yet
 *   marked its scheduled_jobs row done (a test trigger makes that UPDATE wait on an advisory lock the
 *   test holds), so after the restart BullMQ runs the job again (stalled-job recovery);
 * - e-mail deliveries are in flight: the SMTP server has received DATA and holds its answer, so no
 *   message was accepted and no delivery was marked sent.
 *
 * The kill lands outside the documented at-least-once window (SMTP accepted, `sent` not yet stored):
 * no message is accepted while the kill is being prepared, so any second copy would be a real bug.
 * The claims the dead worker left behind are aged past the 5-minute lease (as the clock would) so the
 * restarted worker's sweeper retries them now rather than in five minutes.
 */
describe('worker process killed mid-job: after restart every effect happened exactly once', () => {
  const REDIS_URL = `${process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'}/7`;
  let api: TestApi;
  let smtp: SmtpSink;
  let worker: WorkerProcess | undefined;
  let lockHolder: pg.Client;
  let c: ReturnType<typeof cases>;
  let org: OrgFactory;
  let manager: Person;
  const q = <T>(sql: string, params: unknown[] = []) => api.db.dataSource.query<T>(sql, params);
  const count = async (streamId: string, type: string) =>
    (
      await q<Array<{ n: number }>>(
        'SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = $2',
        [streamId, type],
      )
    )[0].n;
  const workerEnv = () => ({ DATABASE_URL: api.db.url, REDIS_URL, SMTP_URL: smtp.url });

  beforeAll(async () => {
    ensureWorkerBuild();
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.flushdb();
    redis.disconnect();
    api = await startTestApi();
    await publishSeedFrameworks(api);
    smtp = await smtpSink();
    org = new OrgFactory(api);
    c = cases(api);
    await org.hire({ id: 'kill-mgr', managerId: 'hr-1' });
    manager = org.person('kill-mgr', ['manager'], 'support');
    await org.hire({
      id: 'kill-ce',
      managerId: 'kill-mgr',
      hiredOn: '2023-01-10',
      extra: [
        { type: 'SmeSkillsetCertified', data: { skillset: 'networking', effectiveDate: '2023-06-01' } },
        { type: 'SmeSkillsetCertified', data: { skillset: 'linux', effectiveDate: '2023-09-01' } },
      ],
    });
    lockHolder = new pg.Client({ connectionString: api.db.url });
    await lockHolder.connect();
  }, 300_000);

  afterAll(async () => {
    await worker?.kill();
    await lockHolder?.end().catch(() => undefined);
    await smtp?.close();
    await api?.close();
  });

  it('records one LevelChanged and sends each e-mail once, though the worker died mid-job', async () => {
    worker = await spawnWorker(workerEnv());
    const cycle = await c.open('/cycles', org.hr, {
      name: 'Kill test',
      frameworkId: 'customer-engineering-ladder',
      nominationDeadline: new Date(Date.now() + 86_400_000).toISOString(),
      calibrationDeadline: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    });
    expect((await c.act(cycle.body.caseId, 'open', org.hr)).status).toBe(200);
    const p = await c.open('/cases/promotions', manager, {
      employeeId: 'kill-ce',
      targetRoleId: 'senior-engineer',
    });
    expect(p.status).toBe(201);
    const id = p.body.caseId as string;
    for (const [action, body] of [
      ['checkEligibility', {}],
      ['beginReview', {}],
      ['recordPeerReview', { outcome: 'passed', reviewers: ['peer-1'] }],
      ['recommend', { summary: 'ready' }],
      ['enterCalibration', { cycleId: cycle.body.caseId }],
    ] as const) {
      const r = await c.act(id, action, manager, body);
      expect({ action, status: r.status, body: r.body }).toMatchObject({ status: 200 });
    }
    // Everything so far is delivered before the kill is prepared.
    await eventually(
      async () => {
        const rows = await q<Array<{ status: string }>>(`SELECT status FROM notification_deliveries`);
        const planned = await q<Array<{ n: number }>>(
          `SELECT count(*)::int AS n FROM notifications n JOIN events e ON e.event_id = n.event_id WHERE e.stream_id = $1`,
          [id],
        );
        const [lag] = await q<Array<{ n: number }>>(
          `SELECT count(*)::int AS n FROM events e, subscription_checkpoints c
            WHERE c.name = 'notifications' AND (e.tx_id, e.position) > (c.tx_id, c.position)`,
        );
        return lag.n === 0 && planned[0].n > 0 && rows.length > 0 && rows.every((r) => r.status === 'sent');
      },
      20000,
      'the first e-mails',
    );

    // Arm the kill point: marking the LevelChanged job done waits on a lock the test holds.
    await lockHolder.query('SELECT pg_advisory_lock(727727)');
    await q(`CREATE FUNCTION test_hold_record_fact_done() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.name = 'record-fact' AND NEW.state = 'done' AND OLD.state <> 'done' THEN
          PERFORM pg_advisory_xact_lock(727727);
        END IF;
        RETURN NEW;
      END $$`);
    await q(`CREATE TRIGGER test_hold_record_fact_done BEFORE UPDATE ON scheduled_jobs
      FOR EACH ROW EXECUTE FUNCTION test_hold_record_fact_done()`);
    smtp.hold(true);
    const acceptedBefore = smtp.accepted.length; // from here on nothing is answered 250

    const approved = await c.act(id, 'approve', org.hr, {
      effectiveDate: new Date(Date.now() + 1500).toISOString(),
    });
    expect(approved.status).toBe(200);

    await eventually(
      async () => {
        const waiting = await q<Array<{ pid: number }>>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'talent-worker'
              AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
        );
        return (
          waiting.length === 1 &&
          (await count('employee-kill-ce', 'LevelChanged')) === 1 &&
          smtp.held.length > 0
        );
      },
      20000,
      'the LevelChanged job to be between its commit and its done mark, with e-mails in flight',
    );
    const inFlight = smtp.held.map((m) => m.messageId);
    expect(smtp.accepted.length).toBe(acceptedBefore);

    await worker.kill('SIGKILL');
    expect(worker.alive()).toBe(false);
    // The dead process's sessions: end them so the blocked UPDATE rolls back (PostgreSQL would only
    // notice the lost client when it next writes to it).
    await q(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'talent-worker'`,
    );
    await eventually(
      async () =>
        (
          await q<Array<{ n: number }>>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'talent-worker'`,
          )
        )[0].n === 0,
      10000,
      'the dead worker sessions to end',
    );
    await q('DROP TRIGGER test_hold_record_fact_done ON scheduled_jobs');
    await q('DROP FUNCTION test_hold_record_fact_done()');
    await lockHolder.query('SELECT pg_advisory_unlock(727727)');
    smtp.hold(false);
    smtp.release();

    // The state the crash left: effect committed, job not done; deliveries claimed, none sent.
    const [factJob] = await q<Array<{ job_id: string; state: string }>>(
      `SELECT job_id, state FROM scheduled_jobs WHERE name = 'record-fact'`,
    );
    expect(factJob.state).toBe('enqueued');
    expect(await count('employee-kill-ce', 'LevelChanged')).toBe(1);
    const claimed = await q<Array<{ id: string }>>(
      `UPDATE notification_deliveries SET claimed_at = claimed_at - interval '10 minutes'
        WHERE status = 'sending' RETURNING id`,
    );
    expect(claimed.length).toBeGreaterThanOrEqual(1);

    const restartedAt = Date.now();
    worker = await spawnWorker(workerEnv());
    await eventually(
      async () => {
        const [job] = await q<Array<{ state: string }>>(
          `SELECT state FROM scheduled_jobs WHERE job_id = $1`,
          [factJob.job_id],
        );
        const deliveries = await q<Array<{ status: string }>>(`SELECT status FROM notification_deliveries`);
        const effective = await count(id, 'PromotionBecameEffective');
        return (
          job.state === 'done' &&
          effective === 1 &&
          deliveries.every((d) => d.status === 'sent') &&
          deliveries
        );
      },
      120_000,
      'the restarted worker to finish the interrupted job and deliveries',
    );
    const recoveredInMs = Date.now() - restartedAt;

    expect(await count('employee-kill-ce', 'LevelChanged')).toBe(1);
    expect(await count(id, 'PromotionBecameEffective')).toBe(1);
    const [employee] = await q<Array<{ role_id: string }>>(
      `SELECT role_id FROM employees WHERE employee_id = 'kill-ce'`,
    );
    expect(employee.role_id).toBe('senior-engineer');
    const [rerun] = await q<Array<{ outcome: string; attempts: number }>>(
      `SELECT outcome, attempts FROM scheduled_jobs WHERE job_id = $1`,
      [factJob.job_id],
    );

    // Every e-mail delivery reached the SMTP server exactly once, identified by its Message-ID.
    const emails = await q<Array<{ notification_id: string; target: string }>>(
      `SELECT notification_id, target FROM notification_deliveries WHERE channel = 'email' ORDER BY notification_id`,
    );
    const accepted = smtp.accepted.map((m) => m.messageId);
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(accepted.sort()).toEqual(
      emails.map((e) => `<notification.${e.notification_id}@localhost>`).sort(),
    );
    // the ones that were in flight at the kill arrived afterwards, once
    for (const m of inFlight) expect(accepted.filter((a) => a === m)).toHaveLength(1);
    process.stdout.write(
      `kill mid-job: ${inFlight.length} e-mails in flight and 1 effect between commit and done at the kill; ` +
        `recovered in ${recoveredInMs} ms; rerun outcome '${rerun.outcome}' (attempts ${rerun.attempts}); ` +
        `${accepted.length} e-mails, each once\n`,
    );
  }, 240_000);
});
