import { startTestApi, type TestApi } from '../../support/api.js';
import { publishSeedFrameworks } from '../../support/frameworks.js';
import { cases, OrgFactory, type Person } from '../../support/org.js';
import {
  ensureWorkerBuild,
  redisServer,
  smtpSink,
  spawnWorker,
  type RedisServerProcess,
  type SmtpSink,
  type WorkerProcess,
} from '../../support/processes.js';
import { eventually } from '../../support/worker.js';

/**
 * Redis (its own redis-server, no persistence) is killed while commands keep arriving over the API,
 * with the built worker running as a child process against it. Commands never need Redis: every one
 * succeeds. The worker stays up, its timers and notifications wait in PostgreSQL, and when Redis comes
 * back (empty: whatever it held before is gone too) every due timer and effect runs and every e-mail is
 * delivered, once.
 */
describe('worker: Redis stopped while commands arrive, nothing is lost', () => {
  let redis: RedisServerProcess;
  let api: TestApi;
  let smtp: SmtpSink;
  let worker: WorkerProcess | undefined;
  let org: OrgFactory;
  let c: ReturnType<typeof cases>;
  let manager: Person;
  let leader: Person;
  const q = <T>(sql: string, params: unknown[] = []) => api.db.dataSource.query<T>(sql, params);
  const count = async (streamId: string, type: string) =>
    (
      await q<Array<{ n: number }>>(
        'SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = $2',
        [streamId, type],
      )
    )[0].n;
  const statuses: Array<{ what: string; status: number }> = [];
  const ok = async (what: string, res: Promise<{ status: number; body: Record<string, unknown> }>) => {
    const r = await res;
    statuses.push({ what, status: r.status });
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  const submitOpening = async (deadlineInMs: number) => {
    const opened = await ok(
      'draft opening',
      c.open('/openings', manager, {
        team: 'support',
        roleId: 'team-lead',
        frameworkId: 'customer-engineering-ladder',
        justification: 'The team doubled; we need a team lead for the night shift',
      }),
    );
    const id = opened.caseId as string;
    await ok(
      'submit opening',
      c.act(id, 'submit', manager, { approvalDeadline: new Date(Date.now() + deadlineInMs).toISOString() }),
    );
    return id;
  };

  const promote = async (employeeId: string, cycleId: string, effectiveInMs: number) => {
    const p = await ok(
      'open promotion',
      c.open('/cases/promotions', manager, { employeeId, targetRoleId: 'senior-engineer' }),
    );
    const id = p.caseId as string;
    for (const [action, who, body] of [
      ['checkEligibility', manager, {}],
      ['beginReview', manager, {}],
      ['recordPeerReview', manager, { outcome: 'passed', reviewers: ['peer-1'] }],
      ['recommend', manager, { summary: 'ready' }],
      ['enterCalibration', manager, { cycleId }],
      ['approve', org.hr, { effectiveDate: new Date(Date.now() + effectiveInMs).toISOString() }],
    ] as const)
      await ok(action, c.act(id, action, who, body));
    return id;
  };

  const hireReport = (id: string) =>
    org.hire({
      id,
      managerId: 'out-mgr',
      hiredOn: '2023-01-10',
      extra: [
        { type: 'SmeSkillsetCertified', data: { skillset: 'networking', effectiveDate: '2023-06-01' } },
        { type: 'SmeSkillsetCertified', data: { skillset: 'linux', effectiveDate: '2023-09-01' } },
      ],
    });

  beforeAll(async () => {
    ensureWorkerBuild();
    redis = await redisServer();
    api = await startTestApi({ REDIS_URL: redis.url });
    await publishSeedFrameworks(api);
    smtp = await smtpSink();
    org = new OrgFactory(api);
    c = cases(api);
    await org.hire({ id: 'out-mgr', managerId: 'hr-1' });
    await org.hire({ id: 'out-lead', managerId: 'hr-1' });
    manager = org.person('out-mgr', ['manager'], 'support');
    leader = org.person('out-lead', ['leadership'], 'support');
    worker = await spawnWorker({ DATABASE_URL: api.db.url, REDIS_URL: redis.url, SMTP_URL: smtp.url });
  }, 300_000);

  afterAll(async () => {
    await worker?.kill();
    await smtp?.close();
    await api?.close();
    await redis?.stop();
  });

  it('accepts every command without Redis, keeps the worker up, and runs every job once Redis is back', async () => {
    const cycle = await ok(
      'open cycle',
      c.open('/cycles', org.hr, {
        name: 'Outage',
        frameworkId: 'customer-engineering-ladder',
        nominationDeadline: new Date(Date.now() + 86_400_000).toISOString(),
        calibrationDeadline: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      }),
    );
    const cycleId = cycle.caseId as string;
    await ok('open cycle', c.act(cycleId, 'open', org.hr));

    // A deadline that reaches Redis before the outage and falls due during it: Redis loses it.
    const before = await submitOpening(4000);
    await eventually(
      async () => {
        const rows = await q<Array<{ state: string }>>(
          `SELECT state FROM scheduled_jobs WHERE job_id LIKE $1`,
          [`%${before}%approval-deadline%`],
        );
        return rows[0]?.state === 'enqueued';
      },
      10000,
      'the first deadline to reach Redis',
    );

    await redis.stop();
    const outageStartedAt = Date.now();
    const commandsBefore = statuses.length;

    // Commands keep arriving: facts, cases, approvals with deadlines and effective dates due soon.
    await hireReport('out-ce-1');
    await hireReport('out-ce-2');
    const during = [await submitOpening(1500), await submitOpening(2000)];
    const promotions = [await promote('out-ce-1', cycleId, 1000), await promote('out-ce-2', cycleId, 1500)];
    const approvedNow = await submitOpening(3_600_000);
    await ok(
      'approve opening',
      c.act(approvedNow, 'approve', leader, {
        applicationWindowClosesAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
    expect(statuses.every((s) => s.status < 300)).toBe(true);

    // Past every due time, Redis still down: the worker is alive and answering; nothing fired.
    await new Promise((r) => setTimeout(r, 5000));
    expect(worker?.alive()).toBe(true);
    const health = await worker?.health();
    expect(health).toBeDefined();
    const waitingJobs = await q<Array<{ job_id: string; state: string }>>(
      `SELECT job_id, state FROM scheduled_jobs WHERE run_at < now() AND state NOT IN ('done', 'cancelled')`,
    );
    expect(waitingJobs.length).toBeGreaterThanOrEqual(5); // 3 deadlines + 2 effective dates
    expect((await c.get(during[0], org.hr)).body.stage).toBe('submitted');
    const pendingMails = await q<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM notification_deliveries WHERE channel = 'email' AND status = 'pending'`,
    );
    expect(pendingMails[0].n).toBeGreaterThan(0);
    const outageMs = Date.now() - outageStartedAt;

    await redis.start();
    const backAt = Date.now();
    let restCaughtUpMs: number | undefined;

    await eventually(
      async () => {
        const notDone = await q<Array<{ job_id: string }>>(
          `SELECT job_id FROM scheduled_jobs WHERE run_at < now() AND state NOT IN ('done', 'cancelled')`,
        );
        if (restCaughtUpMs === undefined && notDone.every((j) => j.job_id.includes(before)))
          restCaughtUpMs = Date.now() - backAt;
        const undelivered = await q<Array<{ id: string }>>(
          `SELECT id FROM notification_deliveries WHERE status <> 'sent'`,
        );
        const emails = await q<Array<{ n: number }>>(
          `SELECT count(*)::int AS n FROM notification_deliveries WHERE channel = 'email'`,
        );
        // the notifications subscription may still be planning the last events' e-mails
        const lag = await q<Array<{ n: number }>>(
          `SELECT count(*)::int AS n FROM events e, subscription_checkpoints c
            WHERE c.name = 'notifications' AND (e.tx_id, e.position) > (c.tx_id, c.position)`,
        );
        return (
          notDone.length === 0 &&
          undelivered.length === 0 &&
          lag[0].n === 0 &&
          smtp.accepted.length >= emails[0].n
        );
      },
      150_000,
      'every due job done and every notification delivered',
    );
    const caughtUpMs = Date.now() - backAt;

    for (const id of [before, ...during])
      expect({ id, stage: (await c.get(id, org.hr)).body.stage }).toEqual({ id, stage: 'approvalEscalated' });
    for (const id of [before, ...during]) expect(await count(id, 'RoleOpeningApprovalEscalated')).toBe(1);
    for (const [i, id] of promotions.entries()) {
      expect(await count(id, 'PromotionBecameEffective')).toBe(1);
      expect(await count(`employee-out-ce-${i + 1}`, 'LevelChanged')).toBe(1);
    }
    const failed = await q<Array<{ job_id: string }>>(
      `SELECT job_id FROM scheduled_jobs WHERE state = 'failed'`,
    );
    expect(failed).toEqual([]);

    const emails = await q<Array<{ notification_id: string }>>(
      `SELECT notification_id FROM notification_deliveries WHERE channel = 'email'`,
    );
    const accepted = smtp.accepted.map((m) => m.messageId);
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(accepted.sort()).toEqual(
      emails.map((e) => `<notification.${e.notification_id}@localhost>`).sort(),
    );
    expect(worker?.alive()).toBe(true);
    process.stdout.write(
      `redis outage: ${statuses.length - commandsBefore} commands (+2 hires) all 2xx during ${outageMs} ms without Redis; ` +
        `${waitingJobs.length} due jobs and ${pendingMails[0].n} e-mails waited; all caught up ${caughtUpMs} ms ` +
        `after Redis returned (the jobs it never held after ${restCaughtUpMs ?? '?'} ms; the deadline it lost is ` +
        `re-sent by the dispatcher once 60 s stale) (${accepted.length} e-mails, each once)\n`,
    );
  }, 280_000);
});
