import { jest } from '@jest/globals';
import request from 'supertest';
import type { Person } from '../../support/org.js';
import { CE_FRAMEWORK, iso, LADDER, startCaseWorld, TEAM, type CaseWorld } from '../../support/case-world.js';

// jest's per-project testTimeout is not applied (it is a global option): set it for this file
jest.setTimeout(60_000);

/**
 * One full story per case type, from the seeds' policies, over HTTP on a real database.
 *
 * Cross-case effects (waiver granted -> promotion case advanced, candidate selected -> promotion
 * case, effective dates -> level/team changes) belong to worker process managers fed from the event
 * log. apps/worker/src has none yet, so these stories drive the follow-up actions explicitly as the
 * system actor (or HR) would, and assert only what the command side guarantees.
 */
const DAY = 86_400_000;
type Body = Record<string, unknown>;
type Requirement = {
  requirementId: string;
  status: string;
  evidence?: { summary?: string };
  missing?: string;
};

describe('end-to-end stories over HTTP', () => {
  let w: CaseWorld;
  const monthsAgo = (n: number) => iso(Date.now() - n * 30.5 * DAY).slice(0, 10);

  beforeAll(async () => {
    w = await startCaseWorld();
    // a recent hire on the ladder: two SME skillsets and coaching evidence, but only ~6 months at level 1
    // and on the team
    const res = await request(w.api.app.getHttpServer())
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
              effectiveDate: monthsAgo(6),
            },
          },
          {
            type: 'SmeSkillsetCertified',
            data: { employeeId: 'ce-new', skillset: 'networking', effectiveDate: monthsAgo(5) },
          },
          {
            type: 'SmeSkillsetCertified',
            data: { employeeId: 'ce-new', skillset: 'linux', effectiveDate: monthsAgo(4) },
          },
          {
            type: 'CoachingEvidenceRecorded',
            data: {
              employeeId: 'ce-new',
              description: 'Ran the onboarding buddy programme',
              effectiveDate: monthsAgo(3),
            },
          },
        ],
      });
    expect(res.status).toBe(201);
    const ic2 = await request(w.api.app.getHttpServer())
      .post('/employees/ic-2/facts')
      .set('Authorization', `Bearer ${w.people.hr.token}`)
      .send({
        type: 'EmployeeHired',
        data: {
          employeeId: 'ic-2',
          name: 'Mid-level CE',
          email: 'ic-2@example.com',
          team: TEAM.home,
          managerId: 'mgr-1',
          frameworkId: CE_FRAMEWORK,
          track: 'ic',
          roleId: 'IC2',
          effectiveDate: '2024-02-01',
        },
      });
    expect(ic2.status).toBe(201);
  });
  afterAll(async () => {
    w.clock.uninstall();
    await w.close();
  });

  const newcomer = (): Person => w.org.person('ce-new', ['employee'], TEAM.home);

  /** Acts and checks the response, the read model and GET agree on the new stage. */
  const step = async (caseId: string, action: string, who: Person, body: Body, stage: string) => {
    // the system actor acts on cases but is not among their readers (POLICY): read as HR then
    const isSystem = who.id === w.people.system.id;
    const current = await w.c.get(caseId, isSystem ? w.people.hr : who);
    expect({ action, status: current.status }).toEqual({ action, status: 200 });
    if (!isSystem) {
      expect({ action, available: current.body.availableActions }).toEqual({
        action,
        available: expect.arrayContaining([action]),
      });
    }
    const res = await w.c.act(caseId, action, who, body, { 'If-Match': current.headers.etag });
    expect({ action, status: res.status, body: res.body }).toMatchObject({
      action,
      status: 200,
      body: { stage },
    });
    expect(await w.caseRow(caseId)).toEqual({ stage, version: res.body.version as number });
    return res;
  };
  const eligibility = async (employeeId: string, target: string, who: Person = w.people.hr) => {
    const res = await request(w.api.app.getHttpServer())
      .get(`/employees/${employeeId}/eligibility?target=${target}`)
      .set('Authorization', `Bearer ${who.token}`);
    expect(res.status).toBe(200);
    return res.body as { eligible: boolean; requirements: Requirement[] };
  };
  const requirement = (verdict: { requirements: Requirement[] }, id: string) =>
    verdict.requirements.find((r) => r.requirementId === id);
  const eventTypes = async (caseId: string) =>
    (
      await w.api.db.dataSource.query<Array<{ type: string }>>(
        'SELECT type FROM events WHERE stream_id = $1 ORDER BY stream_version',
        [caseId],
      )
    ).map((r) => r.type);

  it('team-lead designation (CE framework): nominated -> peer review -> leadership approval -> designated -> ended', async () => {
    const { manager, leadership, hr } = w.people;
    // a designation is for a senior IC: an IC2 is refused
    const tooJunior = await w.c.open('/cases/team-lead-designations', manager, {
      employeeId: 'ic-2',
      designationId: 'regional-team-lead',
    });
    expect(tooJunior.status).toBe(422);
    expect(tooJunior.body.message).toMatch(/IC2|Customer Engineer|is for/);

    const nominated = await w.c.open('/cases/team-lead-designations', manager, {
      employeeId: 'ic-1',
      designationId: 'regional-team-lead',
      justification: 'Leads the EMEA pod informally already',
    });
    expect(nominated.status).toBe(201);
    expect(nominated.body.stage).toBe('nominated');
    const id = nominated.body.caseId as string;
    // the nominee may read but not move their own case forward
    const own = w.org.person('ic-1', ['employee'], TEAM.home);
    expect((await w.c.get(id, own)).body.availableActions).toEqual(['withdraw']);

    await step(id, 'beginPeerReview', manager, {}, 'peerReview');
    await step(
      id,
      'recordPeerReview',
      manager,
      { outcome: 'passed', reviewers: ['ce-1', 'ce-2'] },
      'leadershipApproval',
    );
    const today = iso(Date.now()).slice(0, 10);
    await step(id, 'approve', leadership, { startDate: today, note: 'welcome' }, 'designated');
    const view = await w.c.get(id, hr);
    expect(view.body.state).toMatchObject({
      employeeId: 'ic-1',
      designationId: 'regional-team-lead',
      team: TEAM.home,
      startDate: today,
      frameworkId: CE_FRAMEWORK,
      approval: { decision: 'approved', by: 'lead-support', role: 'leadership' },
      peerReview: { outcome: 'passed' },
    });
    await step(id, 'end', leadership, { endDate: today }, 'ended');
    expect(await eventTypes(id)).toEqual([
      'TeamLeadNominated',
      'DesignationPeerReviewStarted',
      'DesignationPeerReviewRecorded',
      'TeamLeadDesignated',
      'TeamLeadDesignationEnded',
    ]);
  });

  it('role opening: draft -> submit -> approve -> open -> invite/apply -> window closes -> interviews -> candidate -> filled', async () => {
    const { manager, leadership, hr, system } = w.people;
    const drafted = await w.c.open('/openings', manager, {
      team: TEAM.home,
      roleId: 'team-lead',
      frameworkId: LADDER,
      justification: 'Four new hires in APAC need a team lead on their shift',
    });
    expect(drafted.status).toBe(201);
    const id = drafted.body.caseId as string;
    // not yet a documented need: ce-2's eligibility for Team Lead counts only approved, open openings
    const before = await eligibility('ce-2', 'team-lead');
    await step(id, 'submit', manager, {}, 'submitted');
    const submitted = await w.c.get(id, hr);
    expect(submitted.body.state.deadlines.approvalDeadline).toBeDefined();
    const windowCloses = iso(Date.now() + 14 * DAY);
    await step(id, 'approve', leadership, { applicationWindowClosesAt: windowCloses }, 'open');
    // now open, it is the documented need for the role
    const after = await eligibility('ce-2', 'team-lead');
    expect(requirement(after, 'documented-need')?.status).toBe('met');
    expect(requirement(before, 'documented-need')?.status).toBe('met'); // the world already holds one open opening

    // every employee who meets the role's requirements is invited; ce-2 does, the newcomer does not
    expect(after.eligible || requirement(after, 'peer-review')?.status === 'unmet').toBe(true);
    const newcomerVerdict = await eligibility('ce-new', 'team-lead');
    expect(requirement(newcomerVerdict, 'time-at-level-1')?.status).toBe('unmet');
    await step(id, 'invite', system, { employeeIds: ['ce-2'] }, 'applications');
    await step(id, 'apply', w.people.otherEmployee, {}, 'applications');
    const refused = await w.c.act(id, 'apply', newcomer(), {});
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/time-at-level-1/);
    const again = await w.c.act(id, 'apply', w.people.otherEmployee, {});
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('ALREADY_APPLIED');

    // the application window closes on schedule: not before it is due
    const early = await w.c.act(id, 'closeApplicationWindow', system, { dueAt: windowCloses });
    expect(early.status).toBe(400);
    expect(early.body.code).toBe('NOT_DUE_YET');
    w.clock.passTo(windowCloses);
    await step(id, 'closeApplicationWindow', system, { dueAt: windowCloses }, 'applicationWindowClosed');
    await step(id, 'startInterviews', manager, {}, 'interviews');
    expect((await w.c.act(id, 'selectCandidate', manager, { employeeId: 'ce-new' })).status).toBe(400);

    // selecting the candidate opens their (management-path) promotion case against this opening
    const promotion = await w.c.open('/cases/promotions', manager, {
      employeeId: 'ce-2',
      targetRoleId: 'team-lead',
      openingId: id,
    });
    expect(promotion.status).toBe(201);
    const promotionId = promotion.body.caseId as string;
    await step(
      id,
      'selectCandidate',
      manager,
      { employeeId: 'ce-2', promotionCaseId: promotionId },
      'candidateSelected',
    );
    await step(id, 'fill', hr, {}, 'filled');
    const filled = await w.c.get(id, w.people.auditor);
    expect(filled.body.state).toMatchObject({
      selectedCandidateId: 'ce-2',
      promotionCaseId: promotionId,
      applicants: [{ employeeId: 'ce-2' }],
      invitedEmployeeIds: ['ce-2'],
      endedBy: { how: 'filled', by: 'hr-1' },
    });
    expect(await eventTypes(id)).toEqual([
      'RoleOpeningDrafted',
      'RoleOpeningSubmitted',
      'RoleOpeningApproved',
      'EligibleEmployeesInvited',
      'ApplicationSubmitted',
      'ApplicationWindowClosed',
      'InterviewsStarted',
      'CandidateSelected',
      'RoleOpeningFilled',
    ]);
  });

  it('management-path promotion: refused (422) without an approved open opening, accepted with one, through leadership approval', async () => {
    const { manager, leadership, hr, system } = w.people;
    const without = await w.c.open('/cases/promotions', manager, {
      employeeId: 'ce-1',
      targetRoleId: 'team-lead',
    });
    expect(without.status).toBe(422);
    expect(without.body.details.unmet).toEqual([
      expect.objectContaining({ requirementId: 'documented-need' }),
    ]);

    const draft = await w.c.open('/openings', manager, {
      team: TEAM.home,
      roleId: 'team-lead',
      frameworkId: LADDER,
      justification: 'A second shift needs a lead',
    });
    const notApproved = await w.c.open('/cases/promotions', manager, {
      employeeId: 'ce-1',
      targetRoleId: 'team-lead',
      openingId: draft.body.caseId,
    });
    expect(notApproved.status).toBe(422);
    expect(notApproved.body.message).toMatch(/stage 'draft'/);

    const opened = await w.c.open('/cases/promotions', manager, {
      employeeId: 'ce-1',
      targetRoleId: 'team-lead',
      openingId: w.openingId,
    });
    expect(opened.status).toBe(201);
    const id = opened.body.caseId as string;
    await step(id, 'checkEligibility', manager, {}, 'eligibilityChecked');
    await step(id, 'beginReview', manager, {}, 'evidenceAndPeerReview');
    await step(
      id,
      'recordPeerReview',
      manager,
      { outcome: 'passed', reviewers: ['ce-2'] },
      'evidenceAndPeerReview',
    );
    await step(id, 'recommend', manager, { summary: 'Has coached two new hires' }, 'managerRecommended');
    await step(id, 'enterCalibration', manager, { cycleId: w.cycleId }, 'inCalibration');
    const effectiveDate = iso(Date.now());
    await step(id, 'approve', hr, { effectiveDate }, 'leadershipApproval');
    // HR's calibration is not the last word on a management role
    expect((await w.c.act(id, 'reachEffectiveDate', system, {})).status).toBe(409);
    await step(id, 'leadershipApprove', leadership, { note: 'needed for APAC' }, 'approved');
    await step(id, 'reachEffectiveDate', system, { dueAt: effectiveDate }, 'effective');
    await step(id, 'close', hr, {}, 'closed');
    const view = await w.c.get(id, hr);
    expect(view.body.state.approvals).toEqual([
      expect.objectContaining({ step: 'calibration', decision: 'approved', by: 'hr-1' }),
      expect.objectContaining({ step: 'leadership', decision: 'approved', by: 'lead-support' }),
    ]);
  });

  it('requirement waiver: requested by the manager, self-approval refused, granted by leadership, shown as waived', async () => {
    const { manager, leadership, leadership2, system } = w.people;
    // the manager initiates a review for the newcomer although time at level is not met yet
    const promo = await w.c.open('/cases/promotions', manager, {
      employeeId: 'ce-new',
      targetRoleId: 'senior-engineer',
    });
    expect(promo.status).toBe(201);
    const promotionId = promo.body.caseId as string;
    await step(promotionId, 'checkEligibility', manager, {}, 'eligibilityChecked');
    const blocked = await w.c.act(promotionId, 'beginReview', manager, {});
    expect(blocked.status).toBe(422);
    expect(blocked.body.details.unmet).toEqual([
      expect.objectContaining({ requirementId: 'time-at-level-1' }),
    ]);
    expect(requirement(await eligibility('ce-new', 'senior-engineer'), 'time-at-level-1')?.status).toBe(
      'unmet',
    );

    // the urgent need must be stated
    const tooShort = await w.c.open('/waivers', manager, {
      subjectCaseId: promotionId,
      requirementIds: ['time-at-level-1'],
      urgentNeed: 'short',
    });
    expect(tooShort.status).toBe(400);
    const requested = await w.c.open('/waivers', manager, {
      subjectCaseId: promotionId,
      requirementIds: ['time-at-level-1'],
      urgentNeed: 'Two senior engineers left; the on-call rotation cannot be staffed',
    });
    expect(requested.status).toBe(201);
    const waiverId = requested.body.caseId as string;
    // the promotion case waits on it (the system relays the request to the case)
    await step(
      promotionId,
      'waiverRequested',
      system,
      { waiverId, requirementIds: ['time-at-level-1'] },
      'waiverPending',
    );

    // the requester may not decide; nor may a leader who requested a waiver themself
    expect((await w.c.act(waiverId, 'grant', manager, {})).status).toBe(403);
    const byLeader = await w.c.open('/waivers', leadership2, {
      subjectCaseId: promotionId,
      requirementIds: ['sme-skillsets'],
      urgentNeed: 'APAC needs a senior engineer on the night shift now',
    });
    expect(byLeader.status).toBe(201);
    const selfApproval = await w.c.act(byLeader.body.caseId as string, 'grant', leadership2, {});
    expect(selfApproval.status).toBe(403);
    expect(selfApproval.body.code).toBe('SELF_APPROVAL');
    expect((await w.c.get(byLeader.body.caseId as string, w.people.hr)).body.stage).toBe('requested');

    await step(waiverId, 'grant', leadership, { note: 'urgent staffing need' }, 'granted');
    const verdict = await eligibility('ce-new', 'senior-engineer');
    const waived = requirement(verdict, 'time-at-level-1');
    expect(waived?.status).toBe('waived');
    expect(waived?.evidence?.summary).toContain(waiverId);
    expect(waived?.evidence?.summary).toContain('lead-support');
    // the manager sees the same verdict; the waiver counts for this role only
    expect(
      requirement(await eligibility('ce-new', 'senior-engineer', manager), 'time-at-level-1')?.status,
    ).toBe('waived');
    expect(requirement(await eligibility('ce-new', 'team-lead'), 'time-at-level-1')?.status).toBe('unmet');

    await step(
      promotionId,
      'waiverDecided',
      system,
      { waiverId, outcome: 'granted', requirementIds: ['time-at-level-1'] },
      'eligibilityChecked',
    );
    await step(promotionId, 'beginReview', manager, {}, 'evidenceAndPeerReview');
  });

  it('a waiver granted for one target role does not waive the same requirement for another role', async () => {
    // ce-new holds a granted waiver of time-at-level-1 for Senior Engineer (previous story)
    const { manager } = w.people;
    const promo = await w.c.open('/cases/promotions', manager, {
      employeeId: 'ce-new',
      targetRoleId: 'team-lead',
      openingId: w.openingId,
    });
    expect(promo.status).toBe(201);
    const id = promo.body.caseId as string;
    await step(id, 'checkEligibility', manager, {}, 'eligibilityChecked');
    const begin = await w.c.act(id, 'beginReview', manager, {});
    expect({ status: begin.status, unmet: begin.body.details?.unmet }).toEqual({
      status: 422,
      unmet: [expect.objectContaining({ requirementId: 'time-at-level-1' })],
    });
  });

  it('transfer: 24 months on the team (seed 002) or a tenure waiver, manager acknowledges, receiving leadership approves, effective on its date', async () => {
    const { manager, receivingLeadership, leadership, hr, system, employee } = w.people;
    // ~6 months on the team: the request is recorded, but the manager cannot acknowledge it ...
    const early = await w.c.open('/cases/transfers', newcomer(), {
      employeeId: 'ce-new',
      toTeam: TEAM.receiving,
    });
    expect(early.status).toBe(201);
    const earlyId = early.body.caseId as string;
    const blocked = await w.c.act(earlyId, 'acknowledge', manager, {});
    expect(blocked.status).toBe(422);
    expect(blocked.body.details.unmet).toEqual([
      expect.objectContaining({
        requirementId: 'min-tenure-on-team',
        missing: expect.stringMatching(/more months/),
      }),
    ]);
    // ... until leadership waives the tenure for this transfer (urgent need stated)
    const tenureWaiver = await w.c.open('/waivers', manager, {
      subjectCaseId: earlyId,
      requirementIds: ['min-tenure-on-team'],
      urgentNeed: 'The platform team loses its only on-call engineer next month',
    });
    expect(tenureWaiver.status).toBe(201);
    await step(tenureWaiver.body.caseId as string, 'grant', leadership, { note: 'urgent' }, 'granted');
    await step(earlyId, 'acknowledge', manager, {}, 'acknowledgedByManager');
    // only the employee requests their own transfer
    expect(
      (await w.c.open('/cases/transfers', manager, { employeeId: 'ce-1', toTeam: TEAM.receiving })).status,
    ).toBe(403);
    const same = await w.c.open('/cases/transfers', employee, { employeeId: 'ce-1', toTeam: TEAM.home });
    expect(same.status).toBe(400);

    const requested = await w.c.open('/cases/transfers', employee, {
      employeeId: 'ce-1',
      toTeam: TEAM.receiving,
      motivation: 'Wants to build the platform tooling',
    });
    expect(requested.status).toBe(201);
    const id = requested.body.caseId as string;
    await step(id, 'acknowledge', manager, { note: 'we will backfill' }, 'acknowledgedByManager');
    // the employee's own leadership is not the receiving team's
    expect((await w.c.act(id, 'approve', leadership, {})).status).toBe(403);
    await step(id, 'approve', receivingLeadership, { note: 'welcome' }, 'approvedByReceivingLeadership');
    const effectiveDate = iso(Date.now() + 21 * DAY);
    await step(id, 'agreeEffectiveDate', hr, { effectiveDate }, 'effectiveDateAgreed');
    const notYet = await w.c.act(id, 'reachEffectiveDate', system, { dueAt: effectiveDate });
    expect(notYet.status).toBe(400);
    expect(notYet.body.code).toBe('NOT_DUE_YET');
    w.clock.passTo(effectiveDate);
    await step(id, 'reachEffectiveDate', system, { dueAt: effectiveDate }, 'effective');
    await step(id, 'complete', system, {}, 'completed');
    const view = await w.c.get(id, receivingLeadership);
    expect(view.status).toBe(200);
    expect(view.body.state).toMatchObject({
      fromTeam: TEAM.home,
      toTeam: TEAM.receiving,
      acknowledgedBy: { by: 'mgr-1' },
      approval: { decision: 'approved', by: 'lead-platform' },
      deadlines: { effectiveDate },
      endedBy: { how: 'completed' },
    });
    // the stream carries the effective-date event a worker turns into the team change
    expect(await eventTypes(id)).toContain('TransferBecameEffective');
  });
});
