import { describe, expect, it } from '@jest/globals';
import { opening, type OpeningState } from './aggregates/opening.js';
import { promotion, type PromotionState } from './aggregates/promotion.js';
import { reviewCycle } from './aggregates/review-cycle.js';
import { transfer, type TransferState } from './aggregates/transfer.js';
import { waiver, type WaiverState } from './aggregates/waiver.js';
import { StageConflictError, type DomainError } from './errors.js';
import type { Aggregate } from './common/kit.js';
import type { CaseStateBase, DecideContext, DomainEvent } from './common/types.js';
import { plannedTimers, timerChanges, timersFor, timersToCancel, type PlannedTimer } from './timers.js';
import { at, ctxFor, people, T0 } from './testing/world.js';

const TENURE_MET = {
  eligibility: { requirements: [{ requirementId: 'team-tenure', status: 'met' as const }] },
};

function thrown(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

function step<S extends CaseStateBase>(
  agg: Aggregate<S>,
  s: S | undefined,
  caseId: string,
  type: string,
  payload: unknown,
  ctx: DecideContext,
) {
  const events = agg.decide(s, { type, caseId, payload }, ctx);
  return { events, state: agg.fold(events, s)! };
}

/** what the worker does when a timer fires */
function fire<S extends CaseStateBase>(
  agg: Aggregate<S>,
  s: S,
  t: PlannedTimer,
  now = t.fireAt,
): { events: DomainEvent[]; state: S } {
  return step(agg, s, t.caseId, t.command.type, t.command.payload, ctxFor(people.system, now));
}

describe('timers', () => {
  it('a submitted opening gets reminders before its approval deadline and an escalation after it', () => {
    let s: OpeningState = step(
      opening,
      undefined,
      'op:1',
      'draft',
      {
        team: 'team-a',
        roleId: 'team-lead',
        frameworkId: 'ce',
        frameworkVersion: 1,
        justification: 'new region needs a lead',
      },
      ctxFor(people.manager, T0),
    ).state;
    expect(plannedTimers(s)).toEqual([]);

    const submitted = step(opening, s, 'op:1', 'submit', {}, ctxFor(people.manager, T0));
    s = submitted.state;
    const timers = timersFor('opening', s, submitted.events);
    expect(timers.map((t) => [t.name, t.fireAt, t.command.type])).toEqual([
      ['approval-reminder-1', at(5), 'remindApproval'],
      ['approval-reminder-2', at(6), 'remindApproval'],
      ['approval-deadline', at(7), 'approvalDeadlinePassed'],
    ]);
    for (const t of timers) {
      expect(t.timerId).not.toContain(':');
      expect(t.command.payload).toMatchObject({ forStageVersion: 2, dueAt: t.fireAt });
    }
    expect(timers[2].timerId).toBe('opening-op_1-approval-deadline-s2-20260112T090000000Z');
    // deterministic: planning again gives the same ids
    expect(timersFor('opening', s, submitted.events)).toEqual(timers);
    expect(timersFor('opening', s, [])).toEqual([]);

    // the first reminder fires: a reminder event, the stage stays, the reminder is not planned again
    const reminded = fire(opening, s, timers[0]);
    expect(reminded.events[0]).toMatchObject({
      type: 'RoleOpeningApprovalReminderDue',
      payload: { reminderNumber: 1 },
    });
    expect(reminded.state.stage).toBe('submitted');
    expect(plannedTimers(reminded.state).map((t) => t.name)).toEqual([
      'approval-reminder-2',
      'approval-deadline',
    ]);
    expect(thrown(() => fire(opening, reminded.state, timers[0])).code).toBe('ALREADY_DONE');
    s = reminded.state;

    // the deadline lapses: escalated, with the escalation deadline to run
    const lapsed = fire(opening, s, timers[2]);
    expect(lapsed.state.stage).toBe('approvalEscalated');
    const change = timerChanges(s, lapsed.state);
    expect(change.cancel).toEqual([timers[1].timerId, timers[2].timerId]);
    expect(change.schedule.map((t) => [t.name, t.fireAt])).toEqual([['escalation-deadline', at(10)]]);

    // leadership still approves while escalated; the escalation timer is cancelled, the window timer planned
    const approved = step(
      opening,
      lapsed.state,
      'op:1',
      'approve',
      { applicationWindowClosesAt: at(30) },
      ctxFor(people.leadership, at(8)),
    );
    expect(approved.state.stage).toBe('open');
    expect(timersToCancel(lapsed.state, approved.state)).toEqual([change.schedule[0].timerId]);
    // a late escalation timer is refused: the case left the stage
    expect(thrown(() => fire(opening, approved.state, change.schedule[0]))).toBeInstanceOf(
      StageConflictError,
    );

    const invited = step(
      opening,
      approved.state,
      'op:1',
      'invite',
      { employeeIds: ['emp-2'] },
      ctxFor(people.hr, at(8)),
    );
    expect(plannedTimers(invited.state).map((t) => [t.name, t.fireAt])).toEqual([
      ['application-window', at(30)],
    ]);
  });

  it('an opening left undecided through escalation expires', () => {
    let s = step(
      opening,
      undefined,
      'op-2',
      'draft',
      {
        team: 'team-a',
        roleId: 'team-lead',
        frameworkId: 'ce',
        frameworkVersion: 1,
        justification: 'new region needs a lead',
      },
      ctxFor(people.manager, T0),
    ).state;
    s = step(opening, s, 'op-2', 'submit', { approvalDeadline: at(1) }, ctxFor(people.manager, T0)).state;
    // reminders that would fall before now are not planned
    expect(s.deadlines.approvalReminders).toEqual([]);
    const [deadline] = plannedTimers(s);
    s = fire(opening, s, deadline).state;
    const [escalation] = plannedTimers(s);
    const early = thrown(() => fire(opening, s, escalation, at(2)));
    expect(early.code).toBe('NOT_DUE_YET');
    s = fire(opening, s, escalation).state;
    expect(s.stage).toBe('expired');
    expect(plannedTimers(s)).toEqual([]);
  });

  it('a review cycle opens, closes nominations and calibration on schedule', () => {
    let s = step(
      reviewCycle,
      undefined,
      'cy-1',
      'create',
      {
        name: 'H1',
        frameworkId: 'ce',
        frameworkVersion: 1,
        timeZone: 'Europe/Berlin',
        opensAt: at(1),
        nominationDeadline: at(20),
        calibrationDeadline: at(40),
      },
      ctxFor(people.hr, T0),
    ).state;
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [t] = plannedTimers(s);
      names.push(`${t.name}@${t.fireAt}`);
      s = fire(reviewCycle, s, t).state;
    }
    expect(names).toEqual([
      `cycle-opens@${at(1)}`,
      `nomination-deadline@${at(20)}`,
      `calibration-deadline@${at(40)}`,
    ]);
    expect(s.stage).toBe('decided');
  });

  it('an approved promotion becomes effective on its date', () => {
    const base: PromotionState = {
      caseId: 'p-1',
      caseType: 'promotion',
      machineVersion: 'promotion@1',
      stage: 'approved',
      machineContext: { requiresLeadershipApproval: false },
      version: 8,
      createdAt: T0,
      updatedAt: T0,
      stageEnteredAt: T0,
      stageEnteredVersion: 8,
      employeeId: 'emp-1',
      targetRoleId: 'senior',
      targetPath: 'ic',
      frameworkId: 'ce',
      frameworkVersion: 1,
      requestedBy: { by: 'mgr-1', role: 'manager', at: T0 },
      waiverIds: [],
      waivedRequirementIds: [],
      approvals: [],
      deadlines: { effectiveDate: at(14) },
      effectiveDate: at(14),
    };
    const [t] = plannedTimers(base);
    expect(t).toMatchObject({
      name: 'effective-date',
      fireAt: at(14),
      command: { type: 'reachEffectiveDate' },
    });
    expect(fire(promotion, base, t).state.stage).toBe('effective');
  });

  it('a transfer whose effective date moved refuses the old timer and accepts the new one', () => {
    const tenure = { eligibility: { requirements: [{ requirementId: 'tenure', status: 'met' as const }] } };
    let s: TransferState = step(
      transfer,
      undefined,
      't-1',
      'request',
      { employeeId: 'emp-1', fromTeam: 'team-a', toTeam: 'team-b' },
      ctxFor(people.employee, T0, tenure),
    ).state;
    s = step(transfer, s, 't-1', 'acknowledge', {}, ctxFor(people.manager, at(1), TENURE_MET)).state;
    expect(plannedTimers(s).map((t) => [t.name, t.fireAt])).toEqual([
      ['approval-reminder-1', at(12)],
      ['approval-reminder-2', at(14)],
      ['approval-deadline', at(15)],
    ]);
    s = step(transfer, s, 't-1', 'approve', {}, ctxFor(people.receivingLeadership, at(2))).state;
    expect(timersToCancel(undefined, s)).toEqual([]);
    s = step(
      transfer,
      s,
      't-1',
      'agreeEffectiveDate',
      { effectiveDate: at(30) },
      ctxFor(people.manager, at(3)),
    ).state;
    const [oldTimer] = plannedTimers(s);
    const moved = step(
      transfer,
      s,
      't-1',
      'agreeEffectiveDate',
      { effectiveDate: at(45) },
      ctxFor(people.hr, at(4)),
    ).state;
    const change = timerChanges(s, moved);
    expect(change.cancel).toEqual([oldTimer.timerId]);
    expect(change.schedule.map((t) => t.fireAt)).toEqual([at(45)]);
    expect(thrown(() => fire(transfer, moved, oldTimer)).code).toBe('STALE_TIMER');
    const done = fire(transfer, moved, change.schedule[0]);
    expect(done.events[0]).toMatchObject({
      type: 'TransferBecameEffective',
      payload: { fromTeam: 'team-a', toTeam: 'team-b', effectiveDate: at(45) },
    });
    expect(done.state.stage).toBe('effective');
  });

  it('an unanswered transfer is reminded, escalated at its approval deadline, then expires', () => {
    const tenure = { eligibility: { requirements: [{ requirementId: 'tenure', status: 'met' as const }] } };
    let s: TransferState = step(
      transfer,
      undefined,
      't-2',
      'request',
      { employeeId: 'emp-1', fromTeam: 'team-a', toTeam: 'team-b' },
      ctxFor(people.employee, T0, tenure),
    ).state;
    expect(s.machineVersion).toBe('transfer@2');
    s = step(transfer, s, 't-2', 'acknowledge', {}, ctxFor(people.manager, at(1), TENURE_MET)).state;
    const [reminder, , deadline] = plannedTimers(s);
    const reminded = fire(transfer, s, reminder);
    expect(reminded.events[0]).toMatchObject({
      type: 'TransferApprovalReminderDue',
      payload: { toTeam: 'team-b', approvalDeadline: at(15), reminderNumber: 1 },
    });
    expect(reminded.state.stage).toBe('acknowledgedByManager');
    expect(thrown(() => fire(transfer, reminded.state, deadline, at(14))).code).toBe('NOT_DUE_YET');

    const lapsed = fire(transfer, reminded.state, deadline);
    expect(lapsed.events[0]).toMatchObject({
      type: 'TransferApprovalEscalated',
      payload: {
        employeeId: 'emp-1',
        toTeam: 'team-b',
        approvalDeadline: at(15),
        escalationDeadline: at(20),
      },
    });
    expect(lapsed.state.stage).toBe('approvalEscalated');
    const change = timerChanges(reminded.state, lapsed.state);
    expect(change.schedule.map((t) => [t.name, t.fireAt])).toEqual([['escalation-deadline', at(20)]]);

    // the receiving leadership can still approve while escalated
    const approved = step(
      transfer,
      lapsed.state,
      't-2',
      'approve',
      {},
      ctxFor(people.receivingLeadership, at(16)),
    );
    expect(approved.state.stage).toBe('approvedByReceivingLeadership');
    expect(timersToCancel(lapsed.state, approved.state)).toEqual([change.schedule[0].timerId]);

    const expired = fire(transfer, lapsed.state, change.schedule[0]);
    expect(expired.events[0]).toMatchObject({
      type: 'TransferExpired',
      payload: { escalationDeadline: at(20) },
    });
    expect(expired.state.stage).toBe('expired');
    expect(expired.state.endedBy).toMatchObject({ how: 'expired', by: 'system' });

    const withdrawn = step(transfer, s, 't-2', 'withdraw', {}, ctxFor(people.employee, at(2))).state;
    expect(timersToCancel(s, withdrawn)).toEqual(plannedTimers(s).map((t) => t.timerId));
    expect(thrown(() => fire(transfer, withdrawn, deadline))).toBeInstanceOf(StageConflictError);
  });

  it('a transfer@1 case keeps its machine: no reminders, and it expires at its approval deadline', () => {
    const requested = transfer.decide(
      undefined,
      {
        type: 'request',
        caseId: 't-3',
        payload: { employeeId: 'emp-1', fromTeam: 'team-a', toTeam: 'team-b' },
      },
      ctxFor(people.employee, T0),
    );
    const v1 = requested.map((e) => ({
      ...e,
      payload: { ...(e.payload as object), machineVersion: 'transfer@1' },
    }));
    let s = transfer.fold(v1)!;
    expect(s.machineVersion).toBe('transfer@1');
    s = step(transfer, s, 't-3', 'acknowledge', {}, ctxFor(people.manager, at(1), TENURE_MET)).state;
    expect(s.deadlines.approvalReminders).toBeUndefined();
    const timers = plannedTimers(s);
    expect(timers.map((t) => [t.name, t.fireAt])).toEqual([['approval-deadline', at(15)]]);
    expect(
      thrown(() => step(transfer, s, 't-3', 'remindApproval', {}, ctxFor(people.system, at(14)))),
    ).toBeInstanceOf(StageConflictError);
    const lapsed = fire(transfer, s, timers[0]);
    expect(lapsed.events[0]).toMatchObject({
      type: 'TransferApprovalExpired',
      payload: { approvalDeadline: at(15) },
    });
    expect(lapsed.state.stage).toBe('expired');
  });

  it('a requested waiver is reminded, escalated at its approval deadline, then expires', () => {
    const request = {
      employeeId: 'emp-1',
      subjectCaseType: 'promotion',
      subjectCaseId: 'promotion-1',
      targetRoleId: 'senior-engineer',
      requirementIds: ['time-at-level'],
      urgentNeed: 'Two seniors left; the on-call rotation cannot be staffed',
    };
    const s: WaiverState = step(
      waiver,
      undefined,
      'w-1',
      'request',
      request,
      ctxFor(people.manager, T0),
    ).state;
    expect(s.machineVersion).toBe('waiver@2');
    expect(s.deadlines).toEqual({
      approvalDeadline: at(3),
      approvalReminders: [at(2)],
      escalationDeadline: at(5),
    });
    const timers = plannedTimers(s);
    expect(timers.map((t) => [t.name, t.fireAt, t.command.type])).toEqual([
      ['approval-reminder-1', at(2), 'remindApproval'],
      ['approval-deadline', at(3), 'approvalDeadlinePassed'],
    ]);

    const reminded = fire(waiver, s, timers[0]);
    expect(reminded.events[0]).toMatchObject({
      type: 'WaiverApprovalReminderDue',
      payload: { subjectCaseId: 'promotion-1', approvalDeadline: at(3), reminderNumber: 1 },
    });
    expect(reminded.state.stage).toBe('requested');
    expect(thrown(() => fire(waiver, reminded.state, timers[0])).code).toBe('ALREADY_DONE');

    const lapsed = fire(waiver, reminded.state, timers[1]);
    expect(lapsed.events[0]).toMatchObject({
      type: 'WaiverApprovalEscalated',
      payload: {
        employeeId: 'emp-1',
        subjectCaseType: 'promotion',
        subjectCaseId: 'promotion-1',
        approvalDeadline: at(3),
        escalationDeadline: at(5),
      },
    });
    expect(lapsed.state.stage).toBe('approvalEscalated');
    const [escalation] = plannedTimers(lapsed.state);
    expect(escalation).toMatchObject({ name: 'escalation-deadline', fireAt: at(5) });

    // the same leaders still decide an escalated waiver; the requester still cannot
    const granted = step(waiver, lapsed.state, 'w-1', 'grant', {}, ctxFor(people.leadership, at(4)));
    expect(granted.state.stage).toBe('granted');
    expect(timersToCancel(lapsed.state, granted.state)).toEqual([escalation.timerId]);
    expect(thrown(() => fire(waiver, granted.state, escalation))).toBeInstanceOf(StageConflictError);

    expect(thrown(() => fire(waiver, lapsed.state, escalation, at(4))).code).toBe('NOT_DUE_YET');
    const expired = fire(waiver, lapsed.state, escalation);
    expect(expired.events[0]).toMatchObject({
      type: 'WaiverExpired',
      payload: { subjectCaseId: 'promotion-1', escalationDeadline: at(5) },
    });
    expect(expired.state.stage).toBe('expired');
  });

  it('a waiver@1 case has no deadlines and plans no timers', () => {
    const requested = waiver.decide(
      undefined,
      {
        type: 'request',
        caseId: 'w-2',
        payload: {
          employeeId: 'emp-1',
          subjectCaseType: 'promotion',
          subjectCaseId: 'promotion-1',
          targetRoleId: 'senior-engineer',
          requirementIds: ['time-at-level'],
          urgentNeed: 'Two seniors left; the on-call rotation cannot be staffed',
        },
      },
      ctxFor(people.manager, T0),
    );
    // a stream recorded before waiver@2: no deadline fields at all
    const v1 = requested.map((e) => {
      const p: Record<string, unknown> = { ...(e.payload as Record<string, unknown>) };
      delete p['approvalDeadline'];
      delete p['approvalReminders'];
      delete p['escalationDeadline'];
      return { ...e, payload: { ...p, machineVersion: 'waiver@1' } };
    });
    const s = waiver.fold(v1)!;
    expect(s.machineVersion).toBe('waiver@1');
    expect(s.deadlines).toEqual({});
    expect(plannedTimers(s)).toEqual([]);
    expect(
      thrown(() => step(waiver, s, 'w-2', 'approvalDeadlinePassed', {}, ctxFor(people.system, at(30)))),
    ).toBeInstanceOf(StageConflictError);
  });
});
