import request from 'supertest';
import { startTestApi, type TestApi } from '../support/api.js';
import { publishSeedFrameworks } from '../support/frameworks.js';

/**
 * Issue 3 over HTTP: frameworks published as data, facts recorded singly and by CSV, eligibility
 * answered per requirement with evidence, as of any date, under role and relationship rules.
 */
describe('employee facts and eligibility over HTTP', () => {
  let api: TestApi;
  let hr: string;
  let http: ReturnType<typeof request>;
  const eventCount = async () =>
    Number((await api.db.dataSource.query('SELECT count(*)::int AS n FROM events'))[0].n);

  beforeAll(async () => {
    api = await startTestApi();
    http = request(api.app.getHttpServer());
    hr = api.token({ userId: 'hr-1', roles: ['hr'], team: null });
    await publishSeedFrameworks(api);
  });
  afterAll(async () => {
    await api.close();
  });

  const hire = (id: string, managerId = 'mgr-1', hiredOn = '2025-01-10') => ({
    type: 'EmployeeHired',
    data: {
      employeeId: id,
      name: `Person ${id}`,
      email: `${id}@example.com`,
      team: 'support',
      managerId,
      frameworkId: 'customer-engineering-ladder',
      track: 'core',
      roleId: 'customer-engineer',
      effectiveDate: hiredOn,
    },
  });

  it('lists the three seed frameworks with their versions', async () => {
    const res = await http.get('/frameworks').set('Authorization', `Bearer ${hr}`).expect(200);
    const ids = (res.body as Array<{ frameworkId: string; currentVersion: number }>)
      .map((f) => f.frameworkId)
      .sort();
    expect(ids).toHaveLength(3);
    expect(ids).toContain('customer-engineering-ladder');
  });

  it('answers the worked story: eligible for Senior Engineer on the anniversary, not the day before', async () => {
    await http
      .post('/employees/ce-1/facts')
      .set('Authorization', `Bearer ${hr}`)
      .send({
        facts: [
          hire('ce-1'),
          {
            type: 'SmeSkillsetCertified',
            data: { employeeId: 'ce-1', skillset: 'networking', effectiveDate: '2025-06-01' },
          },
          {
            type: 'SmeSkillsetCertified',
            data: { employeeId: 'ce-1', skillset: 'linux', effectiveDate: '2025-08-01' },
          },
          {
            type: 'PeerReviewRecorded',
            data: {
              employeeId: 'ce-1',
              targetRoleId: 'senior-engineer',
              outcome: 'passed',
              date: '2025-12-01',
              effectiveDate: '2025-12-01',
            },
          },
        ],
      })
      .expect(201)
      .expect('ETag', '"4"');

    const on = await http
      .get('/employees/ce-1/eligibility?target=senior-engineer&asOf=2026-01-10')
      .set('Authorization', `Bearer ${hr}`)
      .expect(200);
    expect(on.body.eligible).toBe(true);
    expect(on.body.requirements.map((r: { status: string }) => r.status)).toEqual(['met', 'met', 'met']);

    const before = await http
      .get('/employees/ce-1/eligibility?target=senior-engineer&asOf=2026-01-09')
      .set('Authorization', `Bearer ${hr}`)
      .expect(200);
    expect(before.body.eligible).toBe(false);
    const time = before.body.requirements.find((r: { kind: string }) => r.kind === 'minTimeAtLevel');
    expect(time.status).toBe('unmet');
    expect(time.missing).toMatch(/month|day/);
  });

  it('lets the manager and the employee read, and refuses an unrelated manager with 403', async () => {
    const mgr = api.token({ userId: 'mgr-1', roles: ['manager'], team: 'support' });
    const self = api.token({ userId: 'ce-1', roles: ['employee'], team: 'support' });
    const other = api.token({ userId: 'mgr-2', roles: ['manager'], team: 'support' });
    await http
      .get('/employees/ce-1/next-roles?asOf=2026-01-10')
      .set('Authorization', `Bearer ${mgr}`)
      .expect(200);
    await http.get('/employees/ce-1').set('Authorization', `Bearer ${self}`).expect(200);
    const refused = await http
      .get('/employees/ce-1/eligibility?target=senior-engineer')
      .set('Authorization', `Bearer ${other}`)
      .expect(403);
    expect(refused.body.message).toMatch(/may not read employee/);
  });

  it('refuses bad input with a 4xx that says what to fix, and writes nothing', async () => {
    const before = await eventCount();
    const employee = api.token({ userId: 'ce-1', roles: ['employee'], team: 'support' });
    await http
      .post('/employees/ce-1/facts')
      .set('Authorization', `Bearer ${employee}`)
      .send(hire('ce-1'))
      .expect(403);
    const badDate = await http
      .post('/employees/ce-2/facts')
      .set('Authorization', `Bearer ${hr}`)
      .send({ ...hire('ce-2'), data: { ...hire('ce-2').data, effectiveDate: '2025-13-45' } })
      .expect(400);
    expect(badDate.body.message).toContain('effectiveDate');
    const notHiredFirst = await http
      .post('/employees/ce-3/facts')
      .set('Authorization', `Bearer ${hr}`)
      .send({
        type: 'SmeSkillsetCertified',
        data: { employeeId: 'ce-3', skillset: 'linux', effectiveDate: '2025-01-01' },
      })
      .expect(400);
    expect(notHiredFirst.body.message).toMatch(/EmployeeHired/);
    await http
      .post('/employees/ce-1/facts')
      .set('Authorization', `Bearer ${hr}`)
      .set('Content-Type', 'application/json')
      .send('{"type":')
      .expect(400);
    await http
      .get('/employees/ce-1/eligibility?target=senior-engineer&asOf=yesterday')
      .set('Authorization', `Bearer ${hr}`)
      .expect(400);
    await http
      .get('/employees/nobody/eligibility?target=senior-engineer')
      .set('Authorization', `Bearer ${hr}`)
      .expect(404);
    await http.get('/employees/ce-1/eligibility').set('Authorization', `Bearer ${hr}`).expect(400);
    await http.get('/employees/ce-1').expect(401);
    expect(await eventCount()).toBe(before);
  });

  it('answers 412 on a stale If-Match and makes Idempotency-Key retries safe', async () => {
    const fact = {
      type: 'CoachingEvidenceRecorded',
      data: { employeeId: 'ce-1', description: 'coached a new hire', effectiveDate: '2026-02-01' },
    };
    await http
      .post('/employees/ce-1/facts')
      .set('Authorization', `Bearer ${hr}`)
      .set('If-Match', '"2"')
      .send(fact)
      .expect(412);
    const first = await http
      .post('/employees/ce-1/facts')
      .set('Authorization', `Bearer ${hr}`)
      .set('Idempotency-Key', 'coach-ce-1-0001')
      .send(fact)
      .expect(201);
    const again = await http
      .post('/employees/ce-1/facts')
      .set('Authorization', `Bearer ${hr}`)
      .set('Idempotency-Key', 'coach-ce-1-0001')
      .send(fact)
      .expect(201);
    expect(again.body.version).toBe(first.body.version);
    expect(again.body.duplicate).toBe(true);
    const rows = await api.db.dataSource.query(
      `SELECT count(*)::int AS n FROM events WHERE stream_id = 'employee-ce-1' AND type = 'CoachingEvidenceRecorded'`,
    );
    expect(rows[0].n).toBe(1);
  });

  it('answers a retried hire with the original result, and the same key with another body with 409', async () => {
    const post = (body: object, key: string) =>
      http
        .post('/employees/idem-hire-1/facts')
        .set('Authorization', `Bearer ${hr}`)
        .set('Idempotency-Key', key)
        .send(body);
    const first = await post(hire('idem-hire-1'), 'hire-idem-hire-1');
    expect(first.status).toBe(201);
    // the retry arrives after the hire committed: hiring twice would be refused, a retry is not
    const again = await post(hire('idem-hire-1'), 'hire-idem-hire-1');
    expect({ status: again.status, version: again.body.version, duplicate: again.body.duplicate }).toEqual({
      status: 201,
      version: first.body.version,
      duplicate: true,
    });
    const other = hire('idem-hire-1');
    other.data.name = 'Someone Else';
    const changed = await post(other, 'hire-idem-hire-1');
    expect({ status: changed.status, code: changed.body.code }).toEqual({
      status: 409,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    const rows = await api.db.dataSource.query(
      `SELECT count(*)::int AS n, max(payload->>'name') AS name FROM events WHERE stream_id = 'employee-idem-hire-1'`,
    );
    expect(rows[0]).toEqual({ n: 1, name: 'Person idem-hire-1' });
  });

  it('imports facts from CSV, reporting a bad row by line and writing nothing of it', async () => {
    const csv = [
      'type,employeeId,effectiveDate,name,email,team,managerId,frameworkId,track,roleId,skillset',
      'EmployeeHired,csv-1,2024-03-01,Ann,ann@example.com,support,mgr-1,customer-engineering-ladder,core,customer-engineer,',
      'SmeSkillsetCertified,csv-1,2024-09-01,,,,,,,,linux',
      'SmeSkillsetCertified,csv-1,not-a-date,,,,,,,,networking',
      'SmeSkillsetCertified,csv-missing,2024-09-01,,,,,,,,linux',
    ].join('\n');
    const res = await http
      .post('/employees/facts/import')
      .set('Authorization', `Bearer ${hr}`)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(200);
    expect(res.body.recorded).toBe(2);
    expect(res.body.rejected).toBe(2);
    const byLine = Object.fromEntries(
      res.body.report.map((r: { line: number; status: string }) => [r.line, r.status]),
    );
    expect(byLine).toEqual({ 2: 'recorded', 3: 'recorded', 4: 'rejected', 5: 'rejected' });
    const stored = await api.db.dataSource.query(
      `SELECT count(*)::int AS n FROM events WHERE stream_id IN ('employee-csv-1', 'employee-csv-missing')`,
    );
    expect(stored[0].n).toBe(2);
    const dir = await http.get('/employees/csv-1').set('Authorization', `Bearer ${hr}`).expect(200);
    expect(dir.body).toMatchObject({
      team: 'support',
      managerId: 'mgr-1',
      roleId: 'customer-engineer',
      version: 2,
    });
  });
});
