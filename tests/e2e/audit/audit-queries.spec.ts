import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { EXPORT_COLUMNS, verifyExport } from '@talent/audit';
import { verifyExportFile } from '../../../apps/api/src/cli/verify-export.js';
import { LADDER, startCaseWorld, TEAM, type CaseWorld } from '../../support/case-world.js';
import type { Person } from '../../support/org.js';

/**
 * The audit trail over HTTP on a real database: one newcomer's promotion walked step by step, with
 * instants taken between the steps, then every audit query read back (history, timeline, activity,
 * approvals, waivers, as of an instant, exports) with the access rules and bad input.
 */
type Item = {
  position: string;
  streamId: string;
  version: number;
  type: string;
  actorId: string;
  actorRole: string;
  reason: string | null;
  occurredAt: string;
  recordedAt: string;
  payload: Record<string, unknown>;
  hash: string;
  prevHash: string | null;
};
type Requirement = { requirementId: string; status: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** An instant strictly between what was recorded before and what will be recorded after. */
async function instant(): Promise<string> {
  await sleep(25);
  const at = new Date().toISOString();
  await sleep(25);
  return at;
}

describe('audit over HTTP', () => {
  let w: CaseWorld;
  let newcomer: Person;
  let start: string;
  let beforeCase: string; // ce-new hired with one SME skillset; no case yet
  let afterFirstCheck: string; // promotion opened and checked: sme-skillsets unmet
  let afterSecondSkillset: string; // second skillset recorded, the case not re-checked yet
  let beforeApproval: string; // case in calibration
  let afterApproval: string;
  let promotionId: string;
  let waiverA: string;
  let waiverB: string;
  let waiverDenied: string;
  const http = () => request(w.api.app.getHttpServer());
  const get = (path: string, who: Person) => http().get(path).set('Authorization', `Bearer ${who.token}`);
  /** A download read as text whatever its content type, with its headers. */
  const download = (path: string, who: Person) =>
    get(path, who)
      .buffer(true)
      .parse((res, cb) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => cb(null, text));
      });
  async function act(id: string, action: string, who: Person, body: Record<string, unknown> = {}) {
    const res = await w.c.act(id, action, who, body);
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  }
  async function allPages(path: string, who: Person, limit: number): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 100; i++) {
      const sep = path.includes('?') ? '&' : '?';
      const res = await get(
        `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        who,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...(res.body.items as Item[]));
      cursor = res.body.nextCursor as string | null;
      if (!cursor) return items;
    }
    throw new Error('too many pages');
  }

  beforeAll(async () => {
    w = await startCaseWorld();
    newcomer = { id: 'ce-new', token: w.token({ userId: 'ce-new', roles: ['employee'], team: TEAM.home }) };
    start = await instant();
    const hired = await http()
      .post('/employees/ce-new/facts')
      .set('Authorization', `Bearer ${w.people.hr.token}`)
      .send({
        facts: [
          {
            type: 'EmployeeHired',
            data: {
              employeeId: 'ce-new',
              name: 'New Engineer',
              email: 'ce-new@example.com',
              team: TEAM.home,
              managerId: 'mgr-1',
              frameworkId: LADDER,
              track: 'core',
              roleId: 'customer-engineer',
              effectiveDate: '2024-01-10',
            },
          },
          {
            type: 'SmeSkillsetCertified',
            data: { employeeId: 'ce-new', skillset: 'networking', effectiveDate: '2024-06-01' },
          },
        ],
      });
    expect(hired.status).toBe(201);
    beforeCase = await instant();

    const { manager, hr, leadership, leadership2 } = w.people;
    const opened = await w.c.open('/cases/promotions', manager, {
      employeeId: 'ce-new',
      targetRoleId: 'senior-engineer',
      reason: 'Backstops the on-call rotation',
    });
    expect(opened.status).toBe(201);
    promotionId = opened.body.caseId as string;
    await act(promotionId, 'checkEligibility', manager, { reason: 'first check' });
    expect((await w.c.act(promotionId, 'beginReview', manager, {})).status).toBe(422);
    afterFirstCheck = await instant();

    const skill = await http()
      .post('/employees/ce-new/facts')
      .set('Authorization', `Bearer ${hr.token}`)
      .send({
        type: 'SmeSkillsetCertified',
        data: { employeeId: 'ce-new', skillset: 'linux', effectiveDate: '2024-09-01' },
      });
    expect(skill.status).toBe(201);
    afterSecondSkillset = await instant();

    await act(promotionId, 'checkEligibility', manager, { reason: 'skillset certified' });
    await act(promotionId, 'beginReview', manager);
    await act(promotionId, 'recordPeerReview', manager, { outcome: 'passed', reviewers: ['p-1', 'p-2'] });
    await act(promotionId, 'recommend', manager, { summary: 'Ready for senior' });
    await act(promotionId, 'enterCalibration', manager, { cycleId: w.cycleId });
    beforeApproval = await instant();
    await act(promotionId, 'approve', hr, {
      effectiveDate: '2099-04-01T00:00:00Z',
      reason: 'calibrated: strong senior signal',
    });

    // waivers on the world's subject promotion of ce-1: two granted, one denied
    const waiver = async (requirementIds: string[], by: Person) => {
      const res = await w.c.open('/waivers', by, {
        subjectCaseId: w.subjectPromotionId,
        requirementIds,
        urgentNeed: 'Two senior engineers left; the on-call rotation cannot be staffed',
      });
      if (res.status !== 201) throw new Error(`waiver: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.caseId as string;
    };
    waiverA = await waiver(['time-at-level-1'], manager);
    waiverB = await waiver(['time-at-level-1', 'sme-skillsets'], manager);
    waiverDenied = await waiver(['sme-skillsets'], manager);
    await act(waiverA, 'grant', leadership, { note: 'urgent' });
    await act(waiverB, 'grant', leadership2, { note: 'urgent too' });
    await act(waiverDenied, 'deny', leadership, { note: 'not urgent' });
    afterApproval = await instant();
  });
  afterAll(async () => {
    await w.close();
  });

  describe('case history', () => {
    it('shows every event with who (user and role), when (occurred, recorded), why and what', async () => {
      const res = await get(`/audit/cases/${promotionId}/history`, w.people.auditor);
      expect(res.status).toBe(200);
      const items = res.body.items as Item[];
      expect(res.body.nextCursor).toBeNull();
      expect(items.map((i) => i.version)).toEqual(items.map((_, i) => i + 1));
      expect(items.map((i) => i.type)).toEqual([
        'PromotionRequested',
        'EligibilityChecked',
        'EligibilityChecked',
        'PeerReviewStarted',
        'PeerReviewRecorded',
        'ManagerRecommended',
        'CalibrationEntered',
        'CalibrationApproved',
      ]);
      const [requested, firstCheck] = items;
      expect(requested).toMatchObject({
        streamId: promotionId,
        actorId: 'mgr-1',
        actorRole: 'manager',
        reason: 'Backstops the on-call rotation',
        payload: expect.objectContaining({ employeeId: 'ce-new', targetRoleId: 'senior-engineer' }),
        prevHash: null,
      });
      expect(firstCheck?.reason).toBe('first check');
      expect(firstCheck?.payload).toMatchObject({ verdict: { eligible: false } });
      const approved = items[items.length - 1];
      expect(approved).toMatchObject({
        actorId: 'hr-1',
        actorRole: 'hr',
        reason: 'calibrated: strong senior signal',
        payload: expect.objectContaining({ effectiveDate: '2099-04-01T00:00:00Z' }),
      });
      for (const i of items) {
        expect(Date.parse(i.occurredAt)).toBeGreaterThan(Date.parse(start));
        expect(Date.parse(i.recordedAt)).toBeGreaterThanOrEqual(Date.parse(i.occurredAt) - 1000);
        expect(i.hash).toMatch(/^[0-9a-f]{64}$/);
      }
      expect(approved.occurredAt > beforeApproval && approved.occurredAt < afterApproval).toBe(true);
      // the chain links each event to the one before
      items.slice(1).forEach((i, n) => expect(i.prevHash).toBe(items[n].hash));
    });

    it('pages with cursors: every event exactly once, in order', async () => {
      const paged = await allPages(`/audit/cases/${promotionId}/history`, w.people.hr, 3);
      expect(paged.map((i) => i.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('refuses a garbled cursor, a cursor of another case and a bad limit with 400', async () => {
      const first = await get(`/audit/cases/${promotionId}/history?limit=2`, w.people.hr);
      const cursor = first.body.nextCursor as string;
      const garbled = await get(`/audit/cases/${promotionId}/history?cursor=not-a-cursor`, w.people.hr);
      expect(garbled.status).toBe(400);
      expect(garbled.body.code).toBe('INVALID_CURSOR');
      expect(garbled.body.message).toMatch(/cursor/i);
      const other = await get(
        `/audit/cases/${w.subjectPromotionId}/history?cursor=${encodeURIComponent(cursor)}`,
        w.people.hr,
      );
      expect(other.status).toBe(400);
      expect(other.body.code).toBe('INVALID_CURSOR');
      const timelineCursor = await get(
        `/audit/employees/ce-new/timeline?cursor=${encodeURIComponent(cursor)}`,
        w.people.hr,
      );
      expect(timelineCursor.status).toBe(400);
      for (const q of ['limit=0', 'limit=501', 'limit=abc', 'unknown=1']) {
        const res = await get(`/audit/cases/${promotionId}/history?${q}`, w.people.hr);
        expect({ q, status: res.status }).toEqual({ q, status: 400 });
        expect(res.body.message).toEqual(expect.any(String));
      }
    });

    it('404 for an unknown case, 400 for an id that is not a case id', async () => {
      const unknown = await get('/audit/cases/6f1f2d8e-0000-4000-8000-000000000000/history', w.people.hr);
      expect(unknown.status).toBe(404);
      expect((await get('/audit/cases/nope/history', w.people.hr)).status).toBe(400);
    });
  });

  describe('employee timeline', () => {
    it('holds both their facts and their cases, in log order', async () => {
      const items = await allPages('/audit/employees/ce-new/timeline', w.people.hr, 4);
      const streams = new Set(items.map((i) => i.streamId));
      expect(streams).toEqual(new Set(['employee-ce-new', promotionId]));
      const types = items.map((i) => i.type);
      expect(types.slice(0, 1)).toEqual(['EmployeeHired']);
      expect(types).toEqual(
        expect.arrayContaining(['SmeSkillsetCertified', 'PromotionRequested', 'CalibrationApproved']),
      );
      const positions = items.map((i) => BigInt(i.position));
      expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
      // the fact recorded between the two checks sits between them
      const idx = (pred: (i: Item) => boolean) => items.findIndex(pred);
      const linux = idx((i) => i.type === 'SmeSkillsetCertified' && i.payload.skillset === 'linux');
      const checks = items.flatMap((i, n) => (i.type === 'EligibilityChecked' ? [n] : []));
      expect(checks[0] < linux && linux < checks[1]).toBe(true);
    });

    it('filters by period [from, to)', async () => {
      const res = await get(
        `/audit/employees/ce-new/timeline?from=${beforeCase}&to=${afterFirstCheck}`,
        w.people.hr,
      );
      expect(res.status).toBe(200);
      expect((res.body.items as Item[]).map((i) => i.type)).toEqual([
        'PromotionRequested',
        'EligibilityChecked',
      ]);
    });

    it('404 for an unknown employee', async () => {
      expect((await get('/audit/employees/nobody/timeline', w.people.hr)).status).toBe(404);
    });
  });

  describe('actor activity', () => {
    it('lists what one person did in a period, and nothing outside it', async () => {
      const early = await get(
        `/audit/actors/mgr-1/activity?from=${beforeCase}&to=${afterFirstCheck}`,
        w.people.auditor,
      );
      expect(early.status).toBe(200);
      const earlyItems = early.body.items as Item[];
      expect(earlyItems.map((i) => i.type)).toEqual(['PromotionRequested', 'EligibilityChecked']);
      expect(earlyItems.every((i) => i.actorId === 'mgr-1')).toBe(true);

      const late = await get(
        `/audit/actors/mgr-1/activity?from=${afterSecondSkillset}&to=${afterApproval}`,
        w.people.auditor,
      );
      const lateTypes = (late.body.items as Item[]).map((i) => i.type);
      expect(lateTypes).toEqual(expect.arrayContaining(['PeerReviewStarted', 'WaiverRequested']));
      expect(lateTypes).not.toContain('PromotionRequested');

      const hr = await get(
        `/audit/actors/hr-1/activity?from=${beforeApproval}&to=${afterApproval}`,
        w.people.hr,
      );
      expect((hr.body.items as Item[]).map((i) => [i.type, i.streamId])).toEqual([
        ['CalibrationApproved', promotionId],
      ]);
    });

    it('refuses a reversed period, a missing bound and a date without an offset with 400', async () => {
      for (const q of [
        `from=${afterApproval}&to=${start}`,
        `from=${start}`,
        'from=2026-01-01&to=2026-02-01',
        'from=yesterday&to=today',
      ]) {
        const res = await get(`/audit/actors/mgr-1/activity?${q}`, w.people.hr);
        expect({ q, status: res.status }).toEqual({ q, status: 400 });
        expect(res.body.message).toMatch(/from|to|period/);
      }
    });
  });

  describe('approvals and waivers', () => {
    it('lists who approved, granted or denied what and when, per period and per approver', async () => {
      const all = await get(`/audit/approvals?from=${start}&to=${afterApproval}`, w.people.auditor);
      expect(all.status).toBe(200);
      const rows = (all.body.items as Array<Item & { outcome: string }>).map((i) => [
        i.type,
        i.actorId,
        i.outcome,
        i.streamId,
      ]);
      expect(rows).toEqual([
        ['CalibrationApproved', 'hr-1', 'approve', promotionId],
        ['WaiverGranted', 'lead-support', 'approve', waiverA],
        ['WaiverGranted', 'lead-support-2', 'approve', waiverB],
        ['WaiverDenied', 'lead-support', 'deny', waiverDenied],
      ]);
      const mine = await get(
        `/audit/approvals?from=${start}&to=${afterApproval}&approver=lead-support`,
        w.people.hr,
      );
      expect((mine.body.items as Item[]).map((i) => i.streamId)).toEqual([waiverA, waiverDenied]);
      // the world's opening was approved before `start`: outside the period
      const before = await get(`/audit/approvals?from=2000-01-01T00:00:00Z&to=${start}`, w.people.hr);
      expect((before.body.items as Item[]).map((i) => i.streamId)).toContain(w.openingId);
      expect((before.body.items as Item[]).map((i) => i.streamId)).not.toContain(waiverA);
    });

    it('a leader reads their own decisions only; HR and auditors read all', async () => {
      const own = await get(
        `/audit/approvals?from=${start}&to=${afterApproval}&approver=lead-support`,
        w.people.leadership,
      );
      expect(own.status).toBe(200);
      expect(
        (await get(`/audit/approvals?from=${start}&to=${afterApproval}`, w.people.leadership)).status,
      ).toBe(403);
      expect(
        (
          await get(
            `/audit/approvals?from=${start}&to=${afterApproval}&approver=lead-support`,
            w.people.leadership2,
          )
        ).status,
      ).toBe(403);
    });

    it('lists the waivers granted in a period with counts per requirement', async () => {
      const res = await get(`/audit/waivers?from=${start}&to=${afterApproval}`, w.people.auditor);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(2);
      expect(res.body.byRequirement).toEqual([
        { requirementId: 'time-at-level-1', count: 2 },
        { requirementId: 'sme-skillsets', count: 1 },
      ]);
      expect(
        (res.body.items as Array<Item & { requirementIds: string[] }>).map((i) => [
          i.streamId,
          i.actorId,
          i.requirementIds,
        ]),
      ).toEqual([
        [waiverA, 'lead-support', ['time-at-level-1']],
        [waiverB, 'lead-support-2', ['time-at-level-1', 'sme-skillsets']],
      ]);
      const page = await get(`/audit/waivers?from=${start}&to=${afterApproval}&limit=1`, w.people.hr);
      expect(page.body.items).toHaveLength(1);
      expect(page.body.total).toBe(2);
      const next = await get(
        `/audit/waivers?from=${start}&to=${afterApproval}&limit=1&cursor=${encodeURIComponent(page.body.nextCursor as string)}`,
        w.people.hr,
      );
      expect((next.body.items as Item[]).map((i) => i.streamId)).toEqual([waiverB]);
      expect(
        (await get(`/audit/waivers?from=${start}&to=${afterApproval}`, w.people.leadership)).status,
      ).toBe(403);
      expect((await get(`/audit/waivers?from=${afterApproval}&to=${start}`, w.people.hr)).status).toBe(400);
    });
  });

  describe('as of a past instant', () => {
    const sme = (reqs: Requirement[] | undefined) =>
      reqs?.find((r) => r.requirementId === 'sme-skillsets')?.status;

    it('a case shows the stage and the verdicts it had then', async () => {
      const early = await get(`/audit/cases/${promotionId}?asOf=${afterFirstCheck}`, w.people.hr);
      expect(early.status).toBe(200);
      expect(early.body).toMatchObject({
        caseId: promotionId,
        caseType: 'promotion',
        basis: 'recorded',
        stage: 'eligibilityChecked',
        version: 2,
        currentVersion: 8,
        asOfDate: afterFirstCheck.slice(0, 10),
        lastEvent: { type: 'EligibilityChecked', actorId: 'mgr-1', actorRole: 'manager' },
        recordedEligibility: { eligible: false },
      });
      expect(sme(early.body.recordedEligibility.requirements)).toBe('unmet');
      // evaluated as the engine would have then: with the case's framework version
      expect(early.body.eligibility).toMatchObject({
        eligible: false,
        frameworkId: LADDER,
        frameworkVersion: early.body.state.frameworkVersion,
      });
      expect(sme(early.body.eligibility.requirements)).toBe('unmet');

      // the second skillset was recorded: the engine then knew it, though the case was not re-checked
      const known = await get(`/audit/cases/${promotionId}?asOf=${afterSecondSkillset}`, w.people.hr);
      expect(known.body.stage).toBe('eligibilityChecked');
      expect(sme(known.body.recordedEligibility.requirements)).toBe('unmet');
      expect(sme(known.body.eligibility.requirements)).toBe('met');
      expect(
        (known.body.eligibility.requirements as Requirement[]).find(
          (r) => r.requirementId === 'time-at-level-1',
        )?.status,
      ).toBe('met');

      const calibrating = await get(`/cases/${promotionId}/as-of/${beforeApproval}`, w.people.manager);
      expect(calibrating.status).toBe(200);
      expect(calibrating.body.stage).not.toBe('approved');
      expect(calibrating.body.lastEvent.type).toBe('CalibrationEntered');
      const now = await get(`/audit/cases/${promotionId}?asOf=${afterApproval}`, w.people.hr);
      expect(now.body.stage).toBe('approved');
      expect(sme(now.body.recordedEligibility.requirements)).toBe('met');
    });

    it('404 before the case existed; 400 for a bad instant or basis', async () => {
      const before = await get(`/audit/cases/${promotionId}?asOf=${beforeCase}`, w.people.hr);
      expect(before.status).toBe(404);
      expect(before.body.message).toMatch(/first recorded/);
      for (const q of [
        'asOf=2026-13-01T00:00:00Z',
        'asOf=2026-01-01',
        'asOf=',
        '',
        `asOf=${start}&basis=guess`,
      ]) {
        const res = await get(`/audit/cases/${promotionId}?${q}`, w.people.hr);
        expect({ q, status: res.status }).toEqual({ q, status: 400 });
      }
      expect((await get(`/cases/${promotionId}/as-of/not-an-instant`, w.people.hr)).status).toBe(400);
    });

    it('an employee shows their record, next-role verdicts and cases as the engine knew them then', async () => {
      const before = await get(`/audit/employees/ce-new?asOf=${beforeCase}`, w.people.manager);
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({
        employeeId: 'ce-new',
        frameworkId: LADDER,
        version: 2,
        snapshot: { team: TEAM.home, roleId: 'customer-engineer' },
        cases: [],
      });
      expect(before.body.snapshot.skillsets.map((s: { skillset: string }) => s.skillset)).toEqual([
        'networking',
      ]);
      const senior = (body: {
        nextRoles: Array<{ roleId: string; result: { requirements: Requirement[] } }>;
      }) => body.nextRoles.find((r) => r.roleId === 'senior-engineer')?.result;
      expect(sme(senior(before.body)?.requirements)).toBe('unmet');

      const during = await get(`/audit/employees/ce-new?asOf=${afterFirstCheck}`, w.people.hr);
      expect(during.body.cases).toEqual([
        { caseId: promotionId, caseType: 'promotion', stage: 'eligibilityChecked', version: 2 },
      ]);
      expect(sme(senior(during.body)?.requirements)).toBe('unmet');

      const after = await get(`/audit/employees/ce-new?asOf=${afterSecondSkillset}`, w.people.hr);
      expect(after.body.version).toBe(3);
      expect(sme(senior(after.body)?.requirements)).toBe('met');

      expect((await get(`/audit/employees/ce-new?asOf=${start}`, w.people.hr)).status).toBe(404);
      expect((await get('/audit/employees/nobody?asOf=2026-01-01T00:00:00Z', w.people.hr)).status).toBe(404);
    });
  });

  describe('who may read what', () => {
    it('an employee reads their own history; their manager and HR/auditors too; others get 403', async () => {
      const { otherEmployee, manager, otherManager, leadership, otherLeadership, auditor } = w.people;
      const cases = [
        [`/audit/employees/ce-new/timeline`, newcomer, 200],
        [`/audit/cases/${promotionId}/history`, newcomer, 200],
        [`/audit/employees/ce-new?asOf=${afterApproval}`, newcomer, 200],
        [`/audit/cases/${promotionId}?asOf=${afterApproval}`, newcomer, 200],
        [`/audit/actors/ce-new/activity?from=${start}&to=${afterApproval}`, newcomer, 200],
        [`/audit/employees/ce-new/timeline`, manager, 200],
        [`/audit/cases/${promotionId}/history`, manager, 200],
        [`/audit/employees/ce-new/timeline`, leadership, 200],
        [`/audit/employees/ce-new/timeline`, auditor, 200],
        [`/audit/employees/ce-new/timeline`, otherEmployee, 403],
        [`/audit/cases/${promotionId}/history`, otherEmployee, 403],
        [`/audit/employees/ce-new?asOf=${afterApproval}`, otherEmployee, 403],
        [`/audit/cases/${promotionId}?asOf=${afterApproval}`, otherEmployee, 403],
        [`/audit/employees/ce-new/timeline`, otherManager, 403],
        [`/audit/cases/${promotionId}/history`, otherManager, 403],
        [`/audit/employees/ce-new/timeline`, otherLeadership, 403],
        [`/audit/actors/mgr-1/activity?from=${start}&to=${afterApproval}`, newcomer, 403],
        [`/audit/actors/ce-new/activity?from=${start}&to=${afterApproval}`, manager, 200],
        [`/audit/actors/ce-new/activity?from=${start}&to=${afterApproval}`, otherManager, 403],
        [`/audit/approvals?from=${start}&to=${afterApproval}`, newcomer, 403],
        [`/audit/waivers?from=${start}&to=${afterApproval}`, manager, 403],
        [`/audit/verify`, manager, 403],
        [`/audit/export?query=caseHistory&caseId=${promotionId}`, otherEmployee, 403],
        [`/audit/export?query=employeeTimeline&employeeId=ce-new`, newcomer, 200],
        [`/audit/export?query=period&from=${start}&to=${afterApproval}`, manager, 403],
      ] as const;
      const seen = [];
      for (const [path, who] of cases) {
        const res = await download(path, who);
        seen.push({ path, who: who.id, status: res.status });
      }
      expect(seen).toEqual(cases.map(([path, who, status]) => ({ path, who: who.id, status })));
    });

    it('401 without a token', async () => {
      expect((await http().get(`/audit/cases/${promotionId}/history`)).status).toBe(401);
    });
  });

  describe('export', () => {
    it('streams a case history as NDJSON carrying the hashes; it verifies offline, and an edit is caught', async () => {
      const res = await download(
        `/audit/export?query=caseHistory&caseId=${promotionId}&format=ndjson`,
        w.people.auditor,
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="case-${promotionId}-history.ndjson"`,
      );
      // streamed: chunked, no Content-Length computed from a buffered body
      expect(res.headers['transfer-encoding']).toBe('chunked');
      expect(res.headers['content-length']).toBeUndefined();
      const text = res.body as string;
      const lines = text.trimEnd().split('\n');
      expect(lines).toHaveLength(8);
      const rows = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(rows[0]).toMatchObject({ actor_id: 'mgr-1', actor_role: 'manager', stream_id: promotionId });
      const verified = verifyExport(text, { requireComplete: true });
      expect(verified).toMatchObject({
        ok: true,
        eventsChecked: 8,
        streams: 1,
        complete: true,
        problems: [],
      });

      // the same file through the offline CLI, then with one payload edited
      const dir = mkdtempSync(join(tmpdir(), 'audit-export-'));
      try {
        const file = join(dir, 'case.ndjson');
        writeFileSync(file, text);
        const out: string[] = [];
        const ok = await verifyExportFile(file, { requireComplete: true, write: (l) => out.push(l) });
        expect(ok.exitCode).toBe(0);
        expect(out.join('\n')).toMatch(/^ok: 8 events in 1 streams/);
        const edited = readFileSync(file, 'utf8').replace(
          '"summary":"Ready for senior"',
          '"summary":"Ready for staff"',
        );
        expect(edited).not.toBe(text);
        writeFileSync(file, edited);
        const bad: string[] = [];
        const broken = await verifyExportFile(file, { write: (l) => bad.push(l) });
        expect(broken.exitCode).toBe(2);
        expect(broken.result.problems[0]).toMatchObject({
          kind: 'hash-mismatch',
          streamId: promotionId,
          version: 6,
        });
        expect(bad[0]).toMatch(new RegExp(`hash-mismatch stream ${promotionId} version 6`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('exports CSV with a header and one row per event; a partial export (a period) verifies as partial', async () => {
      const res = await download(
        `/audit/export?query=employeeTimeline&employeeId=ce-new&format=csv`,
        w.people.hr,
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toBe('attachment; filename="employee-ce-new-timeline.csv"');
      const lines = (res.body as string).trimEnd().split('\r\n');
      expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
      const timeline = await allPages('/audit/employees/ce-new/timeline', w.people.hr, 500);
      expect(lines).toHaveLength(1 + timeline.length);
      expect(lines[1]).toContain('EmployeeHired');

      const period = await download(
        `/audit/export?query=actorActivity&actorId=mgr-1&from=${afterSecondSkillset}&to=${afterApproval}`,
        w.people.auditor,
      );
      expect(period.status).toBe(200);
      const check = verifyExport(period.body as string);
      expect(check.ok).toBe(true);
      expect(check.complete).toBe(false);
      expect(check.incomplete.map((p) => p.kind)).toContain('starts-mid-stream');

      const waivers = await download(
        `/audit/export?query=waivers&from=${start}&to=${afterApproval}`,
        w.people.hr,
      );
      const waiverRows = (waivers.body as string)
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { stream_id: string });
      expect(waiverRows.map((r) => r.stream_id)).toEqual([waiverA, waiverB]);
    });

    it('refuses bad export requests with 400 before streaming anything', async () => {
      for (const q of [
        'query=caseHistory',
        `query=caseHistory&caseId=${promotionId}&format=xml`,
        'query=everything',
        `query=approvals&from=${afterApproval}&to=${start}`,
        `query=approvals&from=${start}`,
        'query=period&from=2026-01-01&to=2026-02-01',
        `query=caseHistory&caseId=${promotionId}&limit=5`,
      ]) {
        const res = await get(`/audit/export?${q}`, w.people.hr);
        expect({ q, status: res.status, type: res.headers['content-type'] }).toEqual({
          q,
          status: 400,
          type: expect.stringMatching(/^application\/problem\+json/),
        });
        expect(res.body.message).toEqual(expect.any(String));
      }
      expect(
        (
          await get(
            '/audit/export?query=caseHistory&caseId=6f1f2d8e-0000-4000-8000-000000000000',
            w.people.hr,
          )
        ).status,
      ).toBe(404);
    });
  });

  it('verifies the intact log', async () => {
    const res = await get('/audit/verify', w.people.auditor);
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.eventsChecked).toBeGreaterThan(20);
    expect(res.body.firstBroken).toBeUndefined();
  });

  it('is documented in OpenAPI', async () => {
    const res = await http().get('/docs-json');
    const paths = Object.keys(res.body.paths as Record<string, unknown>);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/audit/cases/{caseId}/history',
        '/audit/cases/{caseId}',
        '/cases/{caseId}/as-of/{instant}',
        '/audit/employees/{employeeId}/timeline',
        '/audit/employees/{employeeId}',
        '/audit/actors/{actorId}/activity',
        '/audit/approvals',
        '/audit/waivers',
        '/audit/export',
        '/audit/verify',
      ]),
    );
    type Op = { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
    const history = (res.body.paths as Record<string, { get: Op }>)['/audit/cases/{caseId}/history'].get;
    expect(JSON.stringify(history.responses['200'])).toMatch(/actorRole.*occurredAt.*recordedAt.*payload/);
    expect(Object.keys(history.responses)).toEqual(expect.arrayContaining(['200', '400', '403']));
  });
});
