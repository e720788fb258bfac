import { describe, expect, it } from '@jest/globals';
import { promotion, type PromotionState } from './promotion.js';
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RequirementUnmetError,
  StageConflictError,
  type DomainError,
} from '../errors.js';
import type { DecideContext } from '../common/types.js';
import { allMet, at, baseFacts, ctxFor, people, T0, timeUnmet } from '../testing/world.js';

const request = (over: Record<string, unknown> = {}) => ({
  type: 'request',
  caseId: 'p-1',
  payload: {
    employeeId: 'emp-1',
    targetRoleId: 'senior-engineer',
    targetPath: 'ic',
    frameworkId: 'ce-ladder',
    frameworkVersion: 3,
    ...over,
  },
});

function thrown(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

/** a tiny handler: decide, then fold the new events */
function handle(state: PromotionState | undefined, type: string, payload: unknown, ctx: DecideContext) {
  const events = promotion.decide(state, { type, caseId: 'p-1', payload }, ctx);
  return {
    events,
    state: events.reduce<PromotionState | undefined>((s, e) => promotion.evolve(s, e), state)!,
  };
}

function driveTo(stage: string, path: 'ic' | 'management' = 'ic'): PromotionState {
  const mgr = (d: number, extra: Partial<DecideContext> = {}) => ctxFor(people.manager, at(d), extra);
  const hr = (d: number) => ctxFor(people.hr, at(d));
  let s = handle(
    undefined,
    'request',
    request(
      path === 'management'
        ? { targetPath: 'management', openingId: 'opening-1', targetRoleId: 'team-lead' }
        : {},
    ).payload,
    mgr(0),
  ).state;
  const steps: Array<[string, string, unknown, DecideContext]> = [
    ['eligibilityChecked', 'checkEligibility', {}, mgr(1)],
    ['evidenceAndPeerReview', 'beginReview', {}, mgr(2)],
    ['evidenceAndPeerReview', 'recordPeerReview', { outcome: 'passed', reviewers: ['emp-7'] }, mgr(3)],
    ['managerRecommended', 'recommend', { summary: 'consistently at the next level' }, mgr(4)],
    ['inCalibration', 'enterCalibration', { cycleId: 'cycle-1' }, hr(5)],
    [path === 'management' ? 'leadershipApproval' : 'approved', 'approve', { effectiveDate: at(30) }, hr(6)],
  ];
  for (const [reached, type, payload, ctx] of steps) {
    if (s.stage === stage) return s;
    s = handle(s, type, payload, ctx).state;
    expect(s.stage).toBe(reached);
  }
  if (s.stage !== stage) throw new Error(`could not drive to ${stage}, at ${s.stage}`);
  return s;
}

describe('promotion: requesting', () => {
  it('an employee who meets the requirements may request their own review (peer review comes later)', () => {
    const { events, state } = handle(undefined, 'request', request().payload, ctxFor(people.employee, T0));
    expect(events).toHaveLength(1);
    const e = events[0];
    expect(e).toMatchObject({
      type: 'PromotionRequested',
      schemaVersion: 1,
      caseType: 'promotion',
      caseId: 'p-1',
      payload: { employeeId: 'emp-1', targetRoleId: 'senior-engineer', machineVersion: 'promotion@1' },
      meta: { actorId: 'emp-1', actorRole: 'employee', occurredAt: T0, requestId: 'req-1' },
    });
    expect(state).toMatchObject({
      stage: 'requested',
      employeeId: 'emp-1',
      frameworkId: 'ce-ladder',
      frameworkVersion: 3,
      machineVersion: 'promotion@1',
      requestedBy: { by: 'emp-1', role: 'employee', at: T0 },
      version: 1,
    });
  });

  it('an employee who does not meet them is refused with 422 and what is missing', () => {
    const err = thrown(() =>
      promotion.decide(undefined, request(), ctxFor(people.employee, T0, { eligibility: timeUnmet })),
    );
    expect(err).toBeInstanceOf(RequirementUnmetError);
    expect(err.httpStatus).toBe(422);
    expect((err as RequirementUnmetError).unmet).toEqual([
      { requirementId: 'time-at-level', kind: 'timeAtLevel', missing: '3 months more at Level 1' },
    ]);
    expect(err.message).toContain('time-at-level (3 months more at Level 1)');
  });

  it('granted waivers count as met for the employee', () => {
    const ctx = ctxFor(people.employee, T0, {
      eligibility: timeUnmet,
      grantedWaivers: [{ waiverId: 'w-1', requirementIds: ['time-at-level'] }],
    });
    expect(promotion.decide(undefined, request(), ctx)).toHaveLength(1);
  });

  it('an employee needs an evaluated verdict to request (400, not a crash)', () => {
    const err = thrown(() =>
      promotion.decide(undefined, request(), ctxFor(people.employee, T0, { eligibility: undefined })),
    );
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.code).toBe('ELIGIBILITY_REQUIRED');
  });

  it('a manager may initiate a review for a report who does not yet meet the requirements', () => {
    const ctx = ctxFor(people.manager, T0, { eligibility: timeUnmet });
    expect(promotion.decide(undefined, request(), ctx)).toHaveLength(1);
  });

  it('the payload decides whose case it is: an employee cannot request for someone else', () => {
    const err = thrown(() =>
      promotion.decide(undefined, request({ employeeId: 'emp-9' }), ctxFor(people.employee, T0)),
    );
    expect(err).toBeInstanceOf(ForbiddenError);
  });

  it('nobody else may request it (403)', () => {
    for (const who of [people.otherManager, people.otherEmployee, people.auditor, people.leadership]) {
      expect(thrown(() => promotion.decide(undefined, request(), ctxFor(who, T0)))).toBeInstanceOf(
        ForbiddenError,
      );
    }
  });

  it('a management-path promotion without an approved open opening is refused (422)', () => {
    const mgmt = request({ targetPath: 'management', targetRoleId: 'team-lead' });
    const noOpening = thrown(() => promotion.decide(undefined, mgmt, ctxFor(people.manager, T0)));
    expect(noOpening).toBeInstanceOf(RequirementUnmetError);
    expect((noOpening as RequirementUnmetError).unmet[0]).toMatchObject({ requirementId: 'documented-need' });

    const withOpening = request({
      targetPath: 'management',
      targetRoleId: 'team-lead',
      openingId: 'opening-1',
    });
    const notApproved = thrown(() =>
      promotion.decide(
        undefined,
        withOpening,
        ctxFor(people.manager, T0, { opening: { openingId: 'opening-1', stage: 'submitted' } }),
      ),
    );
    expect(notApproved).toBeInstanceOf(RequirementUnmetError);
    expect(notApproved.message).toContain("role opening 'opening-1' is in stage 'submitted'");

    expect(promotion.decide(undefined, withOpening, ctxFor(people.manager, T0))).toHaveLength(1);
  });

  it('refuses bad input with 400 and the field', () => {
    const err = thrown(() =>
      promotion.decide(undefined, request({ targetPath: 'sideways' }), ctxFor(people.manager, T0)),
    );
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).issues[0].path).toBe('targetPath');
  });

  it('refuses unknown commands (400), commands on unknown cases (404) and double creation (409)', () => {
    expect(
      thrown(() =>
        promotion.decide(undefined, { type: 'fly', caseId: 'p-1', payload: {} }, ctxFor(people.hr, T0)),
      ).code,
    ).toBe('UNKNOWN_COMMAND');
    expect(
      thrown(() =>
        promotion.decide(
          undefined,
          { type: 'withdraw', caseId: 'p-1', payload: {} },
          ctxFor(people.employee, T0),
        ),
      ),
    ).toBeInstanceOf(NotFoundError);
    const s = driveTo('requested');
    const again = thrown(() => promotion.decide(s, request(), ctxFor(people.manager, T0)));
    expect(again).toBeInstanceOf(StageConflictError);
    expect(again.code).toBe('CASE_EXISTS');
  });
});

describe('promotion: through the stages', () => {
  it('an IC promotion is approved at calibration and becomes effective on its date', () => {
    const s = driveTo('approved');
    expect(s.outcome).toBe('approved');
    expect(s.cycleId).toBe('cycle-1');
    expect(s.approvals).toEqual([
      { step: 'calibration', decision: 'approved', by: 'hr-1', role: 'hr', at: at(6) },
    ]);
    expect(s.peerReview).toMatchObject({ outcome: 'passed', by: 'mgr-1', reviewers: ['emp-7'] });
    expect(s.deadlines.effectiveDate).toBe(at(30));

    const early = thrown(() =>
      promotion.decide(
        s,
        { type: 'reachEffectiveDate', caseId: 'p-1', payload: {} },
        ctxFor(people.system, at(29)),
      ),
    );
    expect(early.code).toBe('NOT_DUE_YET');

    const { events, state } = handle(s, 'reachEffectiveDate', {}, ctxFor(people.system, at(30)));
    expect(events[0]).toMatchObject({
      type: 'PromotionBecameEffective',
      payload: { employeeId: 'emp-1', targetRoleId: 'senior-engineer', effectiveDate: at(30) },
    });
    expect(state.stage).toBe('effective');
    // the same timer again is refused: the case left the stage
    expect(
      thrown(() =>
        promotion.decide(
          state,
          { type: 'reachEffectiveDate', caseId: 'p-1', payload: {} },
          ctxFor(people.system, at(31)),
        ),
      ),
    ).toBeInstanceOf(StageConflictError);
  });

  it('a management-path promotion needs leadership approval after calibration', () => {
    const s = driveTo('leadershipApproval', 'management');
    expect(s.machineContext).toEqual({ requiresLeadershipApproval: true });
    expect(promotion.availableActions(s, people.leadership, baseFacts)).toEqual([
      'leadershipApprove',
      'leadershipDeny',
    ]);
    expect(promotion.availableActions(s, people.hr, baseFacts)).toEqual([]);
    // the opening must still be open at final approval
    const closed = thrown(() =>
      promotion.decide(
        s,
        { type: 'leadershipApprove', caseId: 'p-1', payload: {} },
        ctxFor(people.leadership, at(7), { opening: { openingId: 'opening-1', stage: 'filled' } }),
      ),
    );
    expect(closed).toBeInstanceOf(RequirementUnmetError);
    const { state } = handle(
      s,
      'leadershipApprove',
      { note: 'needed in APAC' },
      ctxFor(people.leadership, at(7)),
    );
    expect(state.stage).toBe('approved');
    expect(state.approvals.map((a) => [a.step, a.decision, a.by])).toEqual([
      ['calibration', 'approved', 'hr-1'],
      ['leadership', 'approved', 'lead-a'],
    ]);
  });

  it('withdrawing after the decision is refused with 409 naming the allowed stages, and yields no events', () => {
    const s = driveTo('approved');
    const err = thrown(() =>
      promotion.decide(s, { type: 'withdraw', caseId: 'p-1', payload: {} }, ctxFor(people.employee, at(7))),
    );
    expect(err).toBeInstanceOf(StageConflictError);
    expect(err.httpStatus).toBe(409);
    expect(err.message).toBe(
      "the promotion case is in stage 'approved'; 'withdraw' is only allowed in: requested, eligibilityChecked, waiverPending, evidenceAndPeerReview, managerRecommended, inCalibration, leadershipApproval",
    );
  });

  it('the employee may withdraw before the decision', () => {
    const s = driveTo('inCalibration');
    const { state, events } = handle(
      s,
      'withdraw',
      {},
      { ...ctxFor(people.employee, at(6)), reason: 'moving abroad' },
    );
    expect(state.stage).toBe('withdrawn');
    expect(state.outcome).toBe('withdrawn');
    expect(events[0].meta).toEqual({
      actorId: 'emp-1',
      actorRole: 'employee',
      occurredAt: at(6),
      reason: 'moving abroad',
      requestId: 'req-1',
    });
  });

  it('unmet requirements go through a waiver before the review can begin', () => {
    const mgr = (d: number, extra: Partial<DecideContext> = {}) =>
      ctxFor(people.manager, at(d), { eligibility: timeUnmet, ...extra });
    let s = handle(undefined, 'request', request().payload, mgr(0)).state;
    s = handle(s, 'checkEligibility', {}, mgr(1)).state;
    expect(s.eligibility?.verdict.requirements[0]).toMatchObject({
      requirementId: 'time-at-level',
      status: 'unmet',
    });

    const blocked = thrown(() =>
      promotion.decide(s, { type: 'beginReview', caseId: 'p-1', payload: {} }, mgr(2)),
    );
    expect(blocked).toBeInstanceOf(RequirementUnmetError);
    expect((blocked as RequirementUnmetError).unmet.map((u) => u.requirementId)).toEqual(['time-at-level']);

    const sys = (d: number) => ctxFor(people.system, at(d), { eligibility: timeUnmet });
    s = handle(s, 'waiverRequested', { waiverId: 'w-1', requirementIds: ['time-at-level'] }, sys(2)).state;
    expect(s.stage).toBe('waiverPending');
    expect(s.pendingWaiverId).toBe('w-1');
    const wrongWaiver = thrown(() =>
      promotion.decide(
        s,
        {
          type: 'waiverDecided',
          caseId: 'p-1',
          payload: { waiverId: 'w-2', outcome: 'granted', requirementIds: ['x'] },
        },
        sys(3),
      ),
    );
    expect(wrongWaiver.code).toBe('WAIVER_MISMATCH');
    s = handle(
      s,
      'waiverDecided',
      { waiverId: 'w-1', outcome: 'granted', requirementIds: ['time-at-level'] },
      sys(3),
    ).state;
    expect(s.stage).toBe('eligibilityChecked');
    expect(s.waivedRequirementIds).toEqual(['time-at-level']);
    expect(s.waiverIds).toEqual(['w-1']);
    expect(s.pendingWaiverId).toBeUndefined();

    s = handle(s, 'beginReview', {}, mgr(4)).state;
    expect(s.stage).toBe('evidenceAndPeerReview');
  });

  it('a manager recommendation needs a successful peer review (422)', () => {
    let s = driveTo('evidenceAndPeerReview');
    const none = thrown(() =>
      promotion.decide(
        s,
        { type: 'recommend', caseId: 'p-1', payload: { summary: 'x' } },
        ctxFor(people.manager, at(3)),
      ),
    );
    expect(none).toBeInstanceOf(RequirementUnmetError);
    expect(none.message).toContain('no peer review is recorded yet');
    s = handle(s, 'recordPeerReview', { outcome: 'failed' }, ctxFor(people.manager, at(3))).state;
    expect(
      thrown(() =>
        promotion.decide(
          s,
          { type: 'recommend', caseId: 'p-1', payload: { summary: 'x' } },
          ctxFor(people.manager, at(4)),
        ),
      ).message,
    ).toContain('the recorded peer review failed');
  });

  it('only an open or calibrating cycle takes promotions', () => {
    const s = driveTo('managerRecommended');
    const err = thrown(() =>
      promotion.decide(
        s,
        { type: 'enterCalibration', caseId: 'p-1', payload: { cycleId: 'cycle-1' } },
        ctxFor(people.hr, at(5), { cycle: { cycleId: 'cycle-1', stage: 'closed' } }),
      ),
    );
    expect(err).toBeInstanceOf(StageConflictError);
    expect(err.code).toBe('CYCLE_NOT_DECIDING');
    expect(err.message).toBe(
      "the review cycle 'cycle-1' is in stage 'closed'; 'enterCalibration' is only allowed in: openForNominations, calibration",
    );
  });

  it('the employee may not approve their own promotion even holding HR rights', () => {
    const s = driveTo('inCalibration');
    const hrSelf = { userId: 'emp-1', roles: ['hr' as const, 'employee' as const] };
    const err = thrown(() =>
      promotion.decide(
        s,
        { type: 'approve', caseId: 'p-1', payload: { effectiveDate: at(30) } },
        ctxFor(hrSelf, at(6), { facts: {} }),
      ),
    );
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err.code).toBe('OWN_CASE_DECISION');
  });

  it('folds a stored stream to the same state, and lists what each caller may do', () => {
    const s = driveTo('requested');
    expect(promotion.availableActions(s, people.manager, baseFacts)).toEqual([
      'checkEligibility',
      'withdraw',
    ]);
    expect(promotion.availableActions(s, people.employee, baseFacts)).toEqual(['withdraw']);
    expect(promotion.availableActions(s, people.auditor, baseFacts)).toEqual([]);
    expect(promotion.allowedStages('close')).toEqual(['denied', 'effective']);
    expect(allMet.requirements).toHaveLength(3);
  });
});
