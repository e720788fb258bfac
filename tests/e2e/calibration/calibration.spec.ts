import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { iso, startCaseWorld, type CaseWorld } from '../../support/case-world.js';

/**
 * Calibration of a review cycle over HTTP: HR, leadership and auditors see every promotion case of
 * the cycle with its evidence; HR decides a batch, each decision on its own (200/404/409/...), a
 * malformed batch decides nothing, and nothing can be decided once the cycle has been decided.
 */
describe('calibration: GET /cycles/{id}/calibration and POST /cycles/{id}/decisions', () => {
  let w: CaseWorld;
  const DAY = 86_400_000;
  const effectiveDate = () => iso(Date.now() + 30 * DAY);
  let ready: string; // ce-2, passed peer review, recommended, in calibration
  let waived: string; // ce-3, one SME skillset short, waived by leadership, in calibration
  let early: string; // ce-1, requested in the cycle but not yet reviewed
  const http = () => request(w.api.app.getHttpServer());
  const calibration = (cycleId: string, token: string) =>
    http().get(`/cycles/${cycleId}/calibration`).set('Authorization', `Bearer ${token}`);
  const decide = (cycleId: string, token: string, body: unknown, headers: Record<string, string> = {}) => {
    let r = http().post(`/cycles/${cycleId}/decisions`).set('Authorization', `Bearer ${token}`);
    for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
    return r.send(body as object);
  };
  const ok = async (res: request.Response | Promise<request.Response>, status = 200) => {
    const r = await res;
    if (r.status !== status) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  const toCalibration = async (employeeId: string, withWaiver = false) => {
    const { manager, leadership } = w.people;
    const opened = await ok(
      w.c.open('/cases/promotions', manager, { employeeId, targetRoleId: 'senior-engineer' }),
      201,
    );
    const id = opened.body.caseId as string;
    await ok(w.c.act(id, 'checkEligibility', manager));
    if (withWaiver) {
      const waiver = await ok(
        w.c.open('/waivers', manager, {
          subjectCaseId: id,
          requirementIds: ['sme-skillsets'],
          urgentNeed: 'The storage on-call rotation needs a senior engineer this quarter',
        }),
        201,
      );
      await ok(w.c.act(waiver.body.caseId as string, 'grant', leadership, { note: 'urgent, once' }));
    }
    await ok(w.c.act(id, 'beginReview', manager));
    await ok(w.c.act(id, 'recordPeerReview', manager, { outcome: 'passed', reviewers: ['peer-1'] }));
    await ok(w.c.act(id, 'recommend', manager, { summary: `Ready: ${employeeId}` }));
    await ok(w.c.act(id, 'enterCalibration', manager, { cycleId: w.cycleId }));
    return id;
  };

  beforeAll(async () => {
    w = await startCaseWorld();
    await w.org.hire({
      id: 'ce-3',
      managerId: 'mgr-1',
      extra: [{ type: 'SmeSkillsetCertified', data: { skillset: 'storage', effectiveDate: '2024-05-01' } }],
    });
    ready = await toCalibration('ce-2');
    waived = await toCalibration('ce-3', true);
    const requested = await ok(
      w.c.open('/cases/promotions', w.people.manager, {
        employeeId: 'ce-1',
        targetRoleId: 'senior-engineer',
        cycleId: w.cycleId,
      }),
      201,
    );
    early = requested.body.caseId as string;
  });
  afterAll(async () => {
    await w.close();
  });

  it('shows every promotion case of the cycle with its evidence', async () => {
    const res = await ok(calibration(w.cycleId, w.people.hr.token));
    expect(res.body.cycle).toEqual({
      cycleId: w.cycleId,
      name: 'World cycle',
      stage: 'openForNominations',
      frameworkId: 'customer-engineering-ladder',
      deciding: true,
    });
    expect(res.body.asOf).toBe(new Date().toISOString().slice(0, 10));
    type Item = {
      caseId: string;
      stage: string;
      employee: { employeeId: string; name: string; team: string; managerId: string };
      eligibility: { eligible: boolean; requirements: Array<{ requirementId: string; status: string }> };
      [k: string]: unknown;
    };
    const items = res.body.cases as Item[];
    // the world's subject promotion is not in the cycle
    expect(items.map((i) => i.caseId).sort()).toEqual([ready, waived, early].sort());
    const byId = Object.fromEntries(items.map((i) => [i.caseId, i]));

    expect(byId[ready]).toMatchObject({
      stage: 'inCalibration',
      employee: { employeeId: 'ce-2', name: 'Person ce-2', team: 'support', managerId: 'mgr-1' },
      targetRoleId: 'senior-engineer',
      targetPath: 'ic',
      frameworkId: 'customer-engineering-ladder',
      peerReview: { outcome: 'passed', reviewers: ['peer-1'], by: 'mgr-1' },
      recommendation: { summary: 'Ready: ce-2', by: 'mgr-1' },
      waivers: [],
      approvals: [],
      outcome: null,
    });
    expect(byId[ready].eligibility.requirements.length).toBeGreaterThan(0);
    expect(
      byId[ready].eligibility.requirements.find((r) => r.requirementId === 'sme-skillsets'),
    ).toMatchObject({ status: 'met' });
    expect(byId[ready].recordedEligibility).toMatchObject({ by: 'mgr-1' });

    // the waived requirement shows as waived, with the waiver that waived it
    expect(
      byId[waived].eligibility.requirements.find((r) => r.requirementId === 'sme-skillsets'),
    ).toMatchObject({ status: 'waived' });
    expect(byId[waived].waivers).toEqual([
      expect.objectContaining({
        stage: 'granted',
        requirementIds: ['sme-skillsets'],
        requestedBy: 'mgr-1',
        decision: expect.objectContaining({ outcome: 'granted', by: 'lead-support' }),
      }),
    ]);
    expect(byId[early]).toMatchObject({ stage: 'requested', peerReview: null, recommendation: null });
  });

  it('is for HR, leadership and auditors only; bad and unknown ids are 400/404', async () => {
    const { leadership, auditor, manager, employee, hr } = w.people;
    expect((await calibration(w.cycleId, leadership.token)).status).toBe(200);
    expect((await calibration(w.cycleId, auditor.token)).status).toBe(200);
    for (const who of [manager, employee]) {
      const res = await calibration(w.cycleId, who.token);
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/hr, leadership, auditor/);
    }
    expect((await calibration('not-a-uuid', hr.token)).status).toBe(400);
    expect((await calibration(randomUUID(), hr.token)).status).toBe(404);
    // a promotion case is not a cycle
    expect((await calibration(ready, hr.token)).status).toBe(404);
    expect((await http().get(`/cycles/${w.cycleId}/calibration`)).status).toBe(401);
  });

  it('refuses a malformed batch or a non-HR caller, writing nothing', async () => {
    const before = await w.eventCount();
    const { hr, manager, leadership } = w.people;
    const good = { decisions: [{ caseId: ready, decision: 'deny' }] };
    expect((await decide(w.cycleId, manager.token, good)).status).toBe(403);
    expect((await decide(w.cycleId, leadership.token, good)).status).toBe(403);
    const bad: unknown[] = [
      {},
      [],
      { decisions: [] },
      { decisions: 'all' },
      { decisions: [{ caseId: ready, decision: 'maybe' }] },
      { decisions: [{ caseId: 'x', decision: 'deny' }] },
      // an approval needs its effective date
      { decisions: [{ caseId: ready, decision: 'approve' }] },
      { decisions: [{ caseId: ready, decision: 'approve', effectiveDate: 'tomorrow' }] },
      { decisions: [{ caseId: ready, decision: 'deny', extra: 1 }] },
      // a good decision next to a bad one: the whole batch is refused
      {
        decisions: [
          { caseId: waived, decision: 'deny' },
          { caseId: ready, decision: 'nope' },
        ],
      },
      {
        decisions: [
          { caseId: ready, decision: 'deny' },
          { caseId: ready, decision: 'deny' },
        ],
      },
      { decisions: Array.from({ length: 201 }, () => ({ caseId: randomUUID(), decision: 'deny' })) },
    ];
    for (const body of bad) {
      const res = await decide(w.cycleId, hr.token, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.message).toEqual(expect.any(String));
    }
    expect((await decide('nope', hr.token, good)).status).toBe(400);
    expect((await decide(randomUUID(), hr.token, good)).status).toBe(404);
    expect(await w.eventCount()).toBe(before);
    expect((await w.caseRow(ready))?.stage).toBe('inCalibration');
  });

  it('decides each case on its own and reports each outcome', async () => {
    const { hr } = w.people;
    const stranger = randomUUID();
    const body = {
      decisions: [
        { caseId: ready, decision: 'approve', effectiveDate: effectiveDate(), note: 'strong case' },
        { caseId: waived, decision: 'deny', note: 'another cycle' },
        { caseId: early, decision: 'approve', effectiveDate: effectiveDate() },
        { caseId: stranger, decision: 'deny' },
        { caseId: w.subjectPromotionId, decision: 'deny' },
      ],
      reason: 'H1 calibration meeting',
    };
    const key = `calibration-${randomUUID()}`;
    const res = await ok(decide(w.cycleId, hr.token, body, { 'Idempotency-Key': key }));
    expect(res.body).toMatchObject({ cycleId: w.cycleId, decided: 2, refused: 3 });
    expect(res.body.results).toEqual([
      expect.objectContaining({ caseId: ready, status: 200, stage: 'approved', duplicate: false }),
      expect.objectContaining({ caseId: waived, status: 200, stage: 'denied' }),
      expect.objectContaining({
        caseId: early,
        status: 409,
        message: expect.stringMatching(/only allowed in/),
      }),
      expect.objectContaining({ caseId: stranger, status: 404, code: 'NOT_IN_CYCLE' }),
      expect.objectContaining({ caseId: w.subjectPromotionId, status: 404, code: 'NOT_IN_CYCLE' }),
    ]);
    expect((await w.caseRow(ready))?.stage).toBe('approved');
    expect((await w.caseRow(waived))?.stage).toBe('denied');
    expect((await w.caseRow(early))?.stage).toBe('requested');
    const approved = await ok(w.c.get(ready, hr));
    expect(approved.body.state.approvals).toEqual([
      expect.objectContaining({ step: 'calibration', decision: 'approved', by: 'hr-1', note: 'strong case' }),
    ]);
    const reasons = await w.api.db.dataSource.query<Array<{ reason: string }>>(
      `SELECT metadata->>'reason' AS reason FROM events WHERE stream_id = $1 AND type = 'CalibrationApproved'`,
      [ready],
    );
    expect(reasons).toEqual([{ reason: 'H1 calibration meeting' }]);

    // a retry with the same key decides nothing twice
    const events = await w.eventCount();
    const again = await ok(decide(w.cycleId, hr.token, body, { 'Idempotency-Key': key }));
    expect(again.body.results[0]).toMatchObject({ caseId: ready, status: 200, duplicate: true });
    expect(again.body.results[1]).toMatchObject({ caseId: waived, status: 200, duplicate: true });
    expect(await w.eventCount()).toBe(events);
    // without the key, an already decided case is a stage conflict
    const twice = await ok(decide(w.cycleId, hr.token, { decisions: [{ caseId: ready, decision: 'deny' }] }));
    expect(twice.body.results).toEqual([expect.objectContaining({ caseId: ready, status: 409 })]);

    const view = await ok(calibration(w.cycleId, hr.token));
    const shown = Object.fromEntries(
      (view.body.cases as Array<{ caseId: string; stage: string; outcome: string | null }>).map((c) => [
        c.caseId,
        c,
      ]),
    );
    expect(shown[ready]).toMatchObject({ stage: 'approved', outcome: 'approved' });
    expect(shown[waived]).toMatchObject({ stage: 'denied', outcome: 'denied' });
  });

  it('decides nothing once the cycle has been decided', async () => {
    const { hr } = w.people;
    const late = await toCalibration('ce-1');
    await ok(w.c.act(w.cycleId, 'startCalibration', hr));
    expect((await ok(calibration(w.cycleId, hr.token))).body.cycle).toMatchObject({
      stage: 'calibration',
      deciding: true,
    });
    await ok(w.c.act(w.cycleId, 'decide', hr, { summary: 'done' }));
    const view = await ok(calibration(w.cycleId, hr.token));
    expect(view.body.cycle).toMatchObject({ deciding: false });
    const before = await w.eventCount();
    const res = await ok(
      decide(w.cycleId, hr.token, {
        decisions: [{ caseId: late, decision: 'approve', effectiveDate: effectiveDate() }],
      }),
    );
    expect(res.body.results).toEqual([
      expect.objectContaining({ caseId: late, status: 409, code: 'CYCLE_NOT_DECIDING' }),
    ]);
    expect(await w.eventCount()).toBe(before);
    expect((await w.caseRow(late))?.stage).toBe('inCalibration');
  });
});
