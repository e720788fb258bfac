import { startTestApi, type TestApi } from '../../support/api.js';
import { publishSeedFrameworks } from '../../support/frameworks.js';
import { cases, OrgFactory, type Person } from '../../support/org.js';
import { eventually, startTestWorker, type TestWorker } from '../../support/worker.js';

/**
 * The reminder path of an approval deadline, with the real policy (reminders 48 h and 24 h before):
 * a deadline 48 h and 3 s away puts the first reminder 3 s from now and the second a day later. The
 * first fires once, leadership is told, the case stays where it was, and the later reminder and the
 * deadline itself stay scheduled.
 */
describe('worker: approval reminders before the deadline', () => {
  let api: TestApi;
  let worker: TestWorker;
  let org: OrgFactory;
  let c: ReturnType<typeof cases>;
  let manager: Person;
  const q = <T>(sql: string, params: unknown[] = []) => api.db.dataSource.query<T>(sql, params);

  beforeAll(async () => {
    api = await startTestApi();
    await publishSeedFrameworks(api);
    worker = await startTestWorker(api.db.url);
    org = new OrgFactory(api);
    c = cases(api);
    manager = org.person('rem-mgr', ['manager'], 'support');
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
  });

  it('sends the first reminder once and keeps the second reminder and the deadline scheduled', async () => {
    const opened = await c.open('/openings', manager, {
      team: 'support',
      roleId: 'team-lead',
      frameworkId: 'customer-engineering-ladder',
      justification: 'The team doubled; we need a team lead for the night shift',
    });
    expect(opened.status).toBe(201);
    const id = opened.body.caseId as string;
    const deadline = new Date(Date.now() + 48 * 3_600_000 + 3000).toISOString();
    const submitted = await c.act(id, 'submit', manager, { approvalDeadline: deadline });
    expect(submitted.status).toBe(200);

    const jobs = async () =>
      Object.fromEntries(
        (
          await q<Array<{ job_id: string; state: string }>>(
            `SELECT job_id, state FROM scheduled_jobs WHERE data->>'caseId' = $1`,
            [id],
          )
        ).map((r) => [/approval-(?:reminder-\d|deadline)/.exec(r.job_id)?.[0] ?? r.job_id, r.state]),
      );
    await eventually(
      async () => (await jobs())['approval-reminder-1'] === 'done',
      20000,
      'the first reminder',
    ).catch(async (e: unknown) => {
      const rows = await q('SELECT job_id, state, outcome, run_at FROM scheduled_jobs');
      throw new Error(`${String(e)}; jobs: ${JSON.stringify(rows)}`);
    });
    await new Promise((r) => setTimeout(r, 1000)); // anything doubled would have landed by now

    const types = (
      await q<Array<{ type: string }>>(
        `SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version`,
        [id],
      )
    ).map((r) => r.type);
    expect(types.filter((t) => t === 'RoleOpeningApprovalReminderDue')).toHaveLength(1);
    expect((await c.get(id, org.hr)).body.stage).toBe('submitted');
    const state = await jobs();
    expect(state['approval-reminder-2']).toMatch(/^(pending|enqueued)$/);
    expect(state['approval-deadline']).toMatch(/^(pending|enqueued)$/);

    const told = await eventually(
      async () => {
        const rows = await q<Array<{ recipient_id: string; reason: string }>>(
          `SELECT recipient_id, reason FROM notifications
            WHERE stream_id = $1 AND event_type = 'RoleOpeningApprovalReminderDue' AND channel = 'in_app'`,
          [id],
        );
        return rows.length > 0 && rows;
      },
      10000,
      'the reminder notification',
    );
    expect(told).toContainEqual({ recipient_id: 'role:leadership@support', reason: 'must_act' });
  });
});
