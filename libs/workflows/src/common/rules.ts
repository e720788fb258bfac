import { z } from 'zod';
import {
  InvalidInputError,
  RequirementUnmetError,
  StageConflictError,
  type UnmetRequirement,
} from '../errors.js';
import type {
  CaseStateBase,
  CycleFact,
  DecideContext,
  EligibilityVerdict,
  GrantedWaiver,
  OpeningFact,
} from './types.js';
import { CASE_LABELS } from './types.js';

/** Peer review is a framework requirement that the workflow itself satisfies (evidence & peer review stage). */
export function isPeerReviewRequirement(r: { requirementId: string; kind?: string }): boolean {
  return /peer.?review/i.test(r.kind ?? '') || /peer.?review/i.test(r.requirementId);
}

export interface UnmetOptions {
  waivedRequirementIds?: readonly string[];
  grantedWaivers?: readonly GrantedWaiver[];
  /** true while the workflow has not yet run its peer review (it is checked there instead) */
  deferPeerReview?: boolean;
}

/** Requirements that are unmet and not covered by a granted waiver. */
export function unmetRequirements(verdict: EligibilityVerdict, opts: UnmetOptions = {}): UnmetRequirement[] {
  const waived = new Set([
    ...(opts.waivedRequirementIds ?? []),
    ...(opts.grantedWaivers ?? []).flatMap((w) => w.requirementIds),
  ]);
  const blockers: UnmetRequirement[] = (verdict.blockers ?? []).map((b) => ({
    requirementId: 'blocker',
    kind: 'blocker',
    missing: b,
  }));
  const unmet = verdict.requirements
    .filter((r) => r.status === 'unmet' && !waived.has(r.requirementId))
    .filter((r) => !(opts.deferPeerReview && isPeerReviewRequirement(r)))
    .map((r) => {
      const u: UnmetRequirement = { requirementId: r.requirementId };
      if (r.kind !== undefined) u.kind = r.kind;
      const missing = r.missing ?? r.label;
      if (missing !== undefined) u.missing = missing;
      return u;
    });
  return [...blockers, ...unmet];
}

export function requireEligibility(ctx: DecideContext, action: string): EligibilityVerdict {
  if (!ctx.eligibility) {
    throw new InvalidInputError(
      `'${action}' needs the employee's current eligibility verdict; evaluate it for the target role and retry`,
      [{ path: 'eligibility', message: 'required' }],
      'ELIGIBILITY_REQUIRED',
    );
  }
  return ctx.eligibility;
}

export function assertAllMet(action: string, unmet: UnmetRequirement[], hint?: string): void {
  if (unmet.length > 0) throw new RequirementUnmetError(action, unmet, hint);
}

/** Stages of a role opening in which it counts as an approved, open documented need. */
export const OPENING_OPEN_STAGES = [
  'open',
  'applications',
  'applicationWindowClosed',
  'interviews',
  'candidateSelected',
];

export function assertOpenOpening(
  action: string,
  openingId: string | undefined,
  opening: OpeningFact | undefined,
): void {
  const unmet: UnmetRequirement = { requirementId: 'documented-need', kind: 'documentedNeed' };
  if (!openingId) {
    unmet.missing = 'an approved, open role opening (documented need) must be referenced';
  } else if (!opening || opening.openingId !== openingId) {
    unmet.missing = `role opening '${openingId}' is unknown`;
  } else if (!OPENING_OPEN_STAGES.includes(opening.stage)) {
    unmet.missing = `role opening '${openingId}' is in stage '${opening.stage}', not approved and open`;
  } else {
    return;
  }
  throw new RequirementUnmetError(
    action,
    [unmet],
    'Management-path roles are only available against a documented need',
  );
}

export const CYCLE_DECIDING_STAGES = ['openForNominations', 'calibration'];

export function assertCycleDeciding(
  action: string,
  cycleId: string | undefined,
  cycle: CycleFact | undefined,
): void {
  if (!cycleId || !cycle || cycle.cycleId !== cycleId) {
    throw new InvalidInputError(
      `'${action}' needs the state of review cycle '${cycleId ?? '?'}'`,
      [{ path: 'cycle', message: 'required' }],
      'CYCLE_REQUIRED',
    );
  }
  if (!CYCLE_DECIDING_STAGES.includes(cycle.stage)) {
    throw new StageConflictError({
      caseType: 'reviewCycle',
      caseLabel: `${CASE_LABELS.reviewCycle} '${cycleId}'`,
      stage: cycle.stage,
      action,
      allowedStages: CYCLE_DECIDING_STAGES,
      code: 'CYCLE_NOT_DECIDING',
    });
  }
}

/** Payload fields every timer-sent command carries so a stale timer is refused. */
export const timerPayload = z.object({
  /** the stage instance (stageEnteredVersion) the timer was scheduled for */
  forStageVersion: z.number().int().positive().optional(),
  /** the deadline the timer was scheduled for; refused if the case's deadline moved since */
  dueAt: z.iso.datetime({ offset: true }).optional(),
});

export function assertTimerCurrent(
  state: CaseStateBase,
  payload: { forStageVersion?: number | undefined; dueAt?: string | undefined },
  action: string,
  currentDue?: string | readonly string[],
): void {
  if (payload.dueAt !== undefined && currentDue !== undefined) {
    const due = payload.dueAt;
    const dues = typeof currentDue === 'string' ? [currentDue] : currentDue;
    if (!dues.some((d) => Date.parse(d) === Date.parse(due))) {
      throw new StageConflictError({
        caseType: state.caseType,
        caseLabel: CASE_LABELS[state.caseType],
        stage: state.stage,
        action,
        allowedStages: [state.stage],
        note: `the timer was due at ${due} but the deadline is now ${dues.join(', ') || 'unset'}`,
        code: 'STALE_TIMER',
      });
    }
  }
  if (payload.forStageVersion !== undefined && payload.forStageVersion !== state.stageEnteredVersion) {
    throw new StageConflictError({
      caseType: state.caseType,
      caseLabel: CASE_LABELS[state.caseType],
      stage: state.stage,
      action,
      allowedStages: [state.stage],
      note: `the timer was scheduled for an earlier visit of this stage (version ${payload.forStageVersion}, current ${state.stageEnteredVersion})`,
      code: 'STALE_TIMER',
    });
  }
}

export function assertNotBefore(action: string, now: string, due: string | undefined): void {
  if (due !== undefined && Date.parse(now) < Date.parse(due)) {
    throw new InvalidInputError(`'${action}' is due at ${due}; it is only ${now}`, [], 'NOT_DUE_YET');
  }
}

export function addHours(iso: string, hours: number): string {
  return new Date(Date.parse(iso) + hours * 3_600_000).toISOString();
}

/**
 * Reminder instants (before the approval deadline, still in the future) and the escalation
 * deadline after it, for a deadline policy entry.
 */
export function approvalSchedule(
  now: string,
  approvalDeadline: string,
  policy: { approvalReminderHoursBefore: readonly number[]; escalationWindowHours: number },
): { approvalReminders: string[]; escalationDeadline: string } {
  return {
    approvalReminders: policy.approvalReminderHoursBefore
      .map((h) => addHours(approvalDeadline, -h))
      .filter((t) => Date.parse(t) > Date.parse(now))
      .sort(),
    escalationDeadline: addHours(approvalDeadline, policy.escalationWindowHours),
  };
}

/**
 * A deadline timer may act only if it is the one scheduled for this stage visit and deadline
 * (otherwise STALE_TIMER) and the deadline has come (otherwise NOT_DUE_YET).
 */
export function assertDeadlineDue(
  state: CaseStateBase,
  payload: { forStageVersion?: number | undefined; dueAt?: string | undefined },
  action: string,
  now: string,
  due: string | undefined,
): void {
  assertTimerCurrent(state, payload, action, due);
  assertNotBefore(action, now, due);
}

/** An approval reminder may fire only at a planned time and only once (otherwise ALREADY_DONE). */
export function assertReminderDue(
  state: CaseStateBase & {
    remindersSent: number;
    deadlines: { approvalReminders?: readonly string[] | undefined };
  },
  payload: {
    forStageVersion?: number | undefined;
    dueAt?: string | undefined;
    reminderNumber?: number | undefined;
  },
): void {
  assertTimerCurrent(state, payload, 'remindApproval', state.deadlines.approvalReminders ?? []);
  if (payload.reminderNumber !== undefined && payload.reminderNumber <= state.remindersSent) {
    throw new StageConflictError({
      caseType: state.caseType,
      caseLabel: CASE_LABELS[state.caseType],
      stage: state.stage,
      action: 'remindApproval',
      allowedStages: [state.stage],
      note: `reminder ${payload.reminderNumber} was already sent`,
      code: 'ALREADY_DONE',
    });
  }
}
