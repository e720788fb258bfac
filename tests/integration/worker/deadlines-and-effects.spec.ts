import { startTestApi, type TestApi } from '../../support/api.js';
import { publishSeedFrameworks } from '../../support/frameworks.js';
import { cases, OrgFactory, type Person } from '../../support/org.js';
import { eventually, startTestWorker, type TestWorker } from '../../support/worker.js';

/**
 * The worker on real PostgreSQL and Redis: deadlines fire as commands the machine accepts only
 * while the case still waits, moving a case on cancels its timers, effective dates change the
 * employee's level exactly once, and notifications are planned from the committed log.
 */
describe('worker: deadlines, escalation, cancellation and effective dates', () => {
  let api: TestApi;
  let worker: TestWorker;
  let org: OrgFactory;
  let c: ReturnType<typeof cases>;
  let manager: Person;
  let leader: Person;
  const q = <T>(sql: string, params: unknown[] = []) => api.db.dataSource.query<T>(sql, params);
  const typesOf = async (streamId: string) =>
    (
      await q<Array<{ type: string }>>(
        'SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version',
        [streamId],
      )
    ).map((r) => r.type);

  beforeAll(async () => {
    api = await startTestApi();
    await publishSeedFrameworks(api);
    worker = await startTestWorker(api.db.url);
    org = new OrgFactory(api);
    c = cases(api);
    manager = org.person('mgr-1', ['manager'], 'support');
    leader = org.person('lead-1', ['leadership'], 'support');
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  const draftAndSubmit = async (deadlineInMs: number) => {
    const opened = await c.open('/openings', manager, {
      team: 'support',
      roleId: 'team-lead',
      frameworkId: 'customer-engineering-ladder',
      justification: 'The team doubled; we need a team lead for the night shift',
    });
    expect(opened.status).toBe(201);
    const id = opened.body.caseId as string;
    const submitted = await c.act(id, 'submit', manager, {
      approvalDeadline: new Date(Date.now() + deadlineInMs).toISOString(),
    });
    expect(submitted.status).toBe(200);
    return id;
  };

  it('fires an approval deadline and escalates the lapsed documented need', async () => {
    const id = await draftAndSubmit(1500);
    const stage = await eventually(
      async () => {
        const r = await c.get(id, org.hr);
        return r.body.stage !== 'submitted' && (r.body.stage as string);
      },
      20000,
      'the approval deadline to fire',
    );
    expect(stage).toBe('approvalEscalated');
    const types = await typesOf(id);
    expect(types.filter((t) => t === 'RoleOpeningApprovalEscalated' || /Escalat/.test(t))).toHaveLength(1);
    const job = await q<Array<{ state: string; outcome: string }>>(
      `SELECT state, outcome FROM scheduled_jobs WHERE job_id LIKE $1`,
      [`%${id}%approval-deadline%`],
    );
    expect(job).toEqual([expect.objectContaining({ state: 'done' })]);
    // the escalation is itself a deadline, waiting in PostgreSQL and BullMQ (the relay plans it
    // from the committed escalation event, a moment after the stage changed)
    const escalation = await eventually(
      async () => {
        const r = await q<Array<{ state: string }>>(`SELECT state FROM scheduled_jobs WHERE job_id LIKE $1`, [
          `%${id}%escalation-deadline%`,
        ]);
        return r.length > 0 && r;
      },
      10000,
      'the escalation deadline to be planned',
    );
    expect(escalation.map((r) => r.state)).toEqual([expect.stringMatching(/pending|enqueued/)]);
    // escalation goes up: HR is told it must act
    const told = await eventually(
      async () => {
        const r = await q<Array<{ recipient_id: string; reason: string }>>(
          `SELECT recipient_id, reason FROM notifications
            WHERE stream_id = $1 AND event_type = 'RoleOpeningApprovalEscalated' AND channel = 'in_app'`,
          [id],
        );
        return r.length > 0 && r;
      },
      10000,
      'the escalation notification',
    );
    expect(told).toEqual(expect.arrayContaining([{ recipient_id: 'role:hr', reason: 'must_act' }]));
  });

  it('cancels a pending deadline when the case moves on first, and the timeout never lands', async () => {
    const id = await draftAndSubmit(2500);
    await eventually(
      async () => {
        const rows = await q<Array<{ state: string }>>(
          `SELECT state FROM scheduled_jobs WHERE job_id LIKE $1`,
          [`%${id}%approval-deadline%`],
        );
        return rows[0]?.state === 'enqueued';
      },
      10000,
      'the deadline to reach BullMQ',
    );
    const approved = await c.act(id, 'approve', leader, {
      applicationWindowClosesAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(approved.status).toBe(200);
    await eventually(
      async () => {
        const rows = await q<Array<{ state: string }>>(
          `SELECT state FROM scheduled_jobs WHERE job_id LIKE $1`,
          [`%${id}%approval-deadline%`],
        );
        return rows[0]?.state === 'cancelled';
      },
      10000,
      'the deadline to be cancelled',
    );
    await new Promise((r) => setTimeout(r, 3000)); // past the old deadline
    const types = await typesOf(id);
    expect(types.some((t) => /Escalat|Expired|DeadlinePassed/.test(t))).toBe(false);
    const bull = await worker.app
      .get((await import('../../../apps/worker/src/queues/work-queues.js')).WorkQueues)
      .get('timers')
      .getJobs(['delayed', 'waiting', 'active']);
    expect(
      bull.map((j) => j.id).filter((jid) => jid?.includes(id) && jid.includes('approval-deadline')),
    ).toEqual([]);
  });

  it('makes an approved promotion effective on its date: the level changes exactly once', async () => {
    await org.hire({
      id: 'ce-9',
      managerId: 'mgr-1',
      hiredOn: '2023-01-10',
      extra: [
        { type: 'SmeSkillsetCertified', data: { skillset: 'networking', effectiveDate: '2023-06-01' } },
        { type: 'SmeSkillsetCertified', data: { skillset: 'linux', effectiveDate: '2023-09-01' } },
      ],
    });
    const cycle = await c.open('/cycles', org.hr, {
      name: 'Now',
      frameworkId: 'customer-engineering-ladder',
      nominationDeadline: new Date(Date.now() + 86_400_000).toISOString(),
      calibrationDeadline: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    });
    await c.act(cycle.body.caseId, 'open', org.hr);
    const p = await c.open('/cases/promotions', manager, {
      employeeId: 'ce-9',
      targetRoleId: 'senior-engineer',
    });
    const id = p.body.caseId as string;
    for (const [action, who, body] of [
      ['checkEligibility', manager, {}],
      ['beginReview', manager, {}],
      ['recordPeerReview', manager, { outcome: 'passed', reviewers: ['peer-1'] }],
      ['recommend', manager, { summary: 'ready' }],
      ['enterCalibration', manager, { cycleId: cycle.body.caseId }],
      ['approve', org.hr, { effectiveDate: new Date(Date.now() + 1500).toISOString() }],
    ] as const) {
      const r = await c.act(id, action, who, body);
      expect({ action, status: r.status, body: r.body }).toMatchObject({ status: 200 });
    }
    const level = await eventually(
      async () => {
        const rows = await q<Array<{ role_id: string }>>(
          `SELECT role_id FROM employees WHERE employee_id = 'ce-9'`,
        );
        return rows[0]?.role_id === 'senior-engineer' && rows[0].role_id;
      },
      20000,
      'the level change',
    );
    expect(level).toBe('senior-engineer');
    expect((await typesOf(id)).filter((t) => t === 'PromotionBecameEffective')).toHaveLength(1);
    expect((await typesOf('employee-ce-9')).filter((t) => t === 'LevelChanged')).toHaveLength(1);
  });

  it('plans in-app notifications for whoever must act, from the committed log', async () => {
    const rows = await eventually(
      async () => {
        const r = await q<Array<{ recipient_id: string; event_type: string }>>(
          `SELECT recipient_id, event_type FROM notifications WHERE channel = 'in_app' AND event_type = 'RoleOpeningSubmitted'`,
        );
        return r.length > 0 && r;
      },
      10000,
      'notifications',
    );
    expect(rows.map((r) => r.recipient_id)).toContain('role:leadership@support');
  });
});
