import { startTestApi, type TestApi } from '../support/api.js';
import { publishSeedFrameworks } from '../support/frameworks.js';
import { cases, OrgFactory, type Person } from '../support/org.js';

/**
 * Seed 002's IC path: a Customer Engineer with a year at level 1, two SME skillsets and a passed
 * peer review is requested for Senior Engineer by their manager, reviewed, recommended, calibrated
 * in an open cycle and approved by HR.
 */
describe('promotion case over HTTP (customer engineering ladder, IC path)', () => {
  let api: TestApi;
  let org: OrgFactory;
  let c: ReturnType<typeof cases>;
  let manager: Person;
  let engineer: Person;

  beforeAll(async () => {
    api = await startTestApi();
    await publishSeedFrameworks(api);
    org = new OrgFactory(api);
    c = cases(api);
    manager = org.person('mgr-1', ['manager'], 'support');
    engineer = await org.hire({
      id: 'ce-1',
      managerId: 'mgr-1',
      hiredOn: '2024-01-10',
      extra: [
        { type: 'SmeSkillsetCertified', data: { skillset: 'networking', effectiveDate: '2024-06-01' } },
        { type: 'SmeSkillsetCertified', data: { skillset: 'linux', effectiveDate: '2024-09-01' } },
      ],
    });
  });
  afterAll(async () => {
    await api.close();
  });

  it('walks from request to approval, with the actions each caller may take', async () => {
    const cycle = await c.open('/cycles', org.hr, {
      name: 'H1 review',
      frameworkId: 'customer-engineering-ladder',
      nominationDeadline: '2099-02-01T00:00:00Z',
      calibrationDeadline: '2099-03-01T00:00:00Z',
    });
    expect(cycle.status).toBe(201);
    expect((await c.act(cycle.body.caseId, 'open', org.hr)).status).toBe(200);

    const opened = await c.open('/cases/promotions', manager, {
      employeeId: 'ce-1',
      targetRoleId: 'senior-engineer',
    });
    expect(opened.status).toBe(201);
    expect(opened.headers.etag).toBe('"1"');
    const id = opened.body.caseId as string;

    const view = await c.get(id, manager);
    expect(view.status).toBe(200);
    expect(view.body.stage).toBe(opened.body.stage);
    expect(view.body.availableActions.length).toBeGreaterThan(0);

    // The employee may not approve their own promotion; HR may not act before the stage allows it.
    expect((await c.act(id, 'approve', engineer, { effectiveDate: '2099-04-01T00:00:00Z' })).status).toBe(
      403,
    );
    const early = await c.act(id, 'approve', org.hr, { effectiveDate: '2099-04-01T00:00:00Z' });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/only allowed in/);

    const steps: Array<[string, Person, Record<string, unknown>]> = [
      ['checkEligibility', manager, {}],
      ['beginReview', manager, {}],
      ['recordPeerReview', manager, { outcome: 'passed', reviewers: ['peer-1', 'peer-2'] }],
      ['recommend', manager, { summary: 'Ready: backstop for complex issues, leads knowledge sharing' }],
      ['enterCalibration', manager, { cycleId: cycle.body.caseId }],
      ['approve', org.hr, { effectiveDate: '2099-04-01T00:00:00Z' }],
    ];
    for (const [action, who, body] of steps) {
      const current = await c.get(id, who);
      expect({ action, available: current.body.availableActions }).toEqual({
        action,
        available: expect.arrayContaining([action]),
      });
      const res = await c.act(id, action, who, body, { 'If-Match': current.headers.etag });
      expect({ action, status: res.status, body: res.body }).toMatchObject({ action, status: 200 });
    }
    const final = await c.get(id, org.hr);
    expect(final.body.stage).toBe('approved');

    const waiting = await c.list('type=promotion&stage=approved', org.hr);
    expect(waiting.body.items.map((i: { caseId: string }) => i.caseId)).toContain(id);
    const history = await api.db.dataSource.query(
      `SELECT stream_version FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [id],
    );
    expect(history.map((r: { stream_version: number }) => r.stream_version)).toEqual(
      history.map((_: unknown, i: number) => i + 1),
    );
  });
});
