import type { CaseState, CaseStateByType } from './registry.js';
import type { CaseType, Command, DomainEvent } from './common/types.js';

/**
 * A delayed job the worker should schedule: at `fireAt`, send `command` as the system actor.
 * The command is accepted only if the case is still in the stage (and deadline) it was planned for;
 * `timerId` is deterministic (same case, stage visit, timer and due time -> same id) and has no ':'.
 */
export interface PlannedTimer {
  timerId: string;
  caseType: CaseType;
  caseId: string;
  name: string;
  stage: string;
  fireAt: string;
  command: Command<string, Record<string, unknown>>;
}

interface TimerRule {
  name: string;
  command: string;
  dueAt: string | undefined;
  extra?: Record<string, unknown>;
}
type StagePlans<S> = Record<string, (s: S) => TimerRule[]>;

/** one `remindApproval` timer per reminder not yet sent */
function reminderRules(reminders: readonly string[] | undefined, sent: number): TimerRule[] {
  return (reminders ?? []).flatMap((at, i) =>
    i < sent
      ? []
      : [
          {
            name: `approval-reminder-${i + 1}`,
            command: 'remindApproval',
            dueAt: at,
            extra: { reminderNumber: i + 1 },
          },
        ],
  );
}

/** Which timers each stage runs, per case type (pure data + small functions of the state). */
export const TIMER_PLANS: { [K in CaseType]: StagePlans<CaseStateByType[K]> } = {
  reviewCycle: {
    draft: (s) => [{ name: 'cycle-opens', command: 'open', dueAt: s.deadlines.opensAt }],
    openForNominations: (s) => [
      {
        name: 'nomination-deadline',
        command: 'nominationDeadlinePassed',
        dueAt: s.deadlines.nominationDeadline,
      },
    ],
    calibration: (s) => [
      {
        name: 'calibration-deadline',
        command: 'calibrationDeadlinePassed',
        dueAt: s.deadlines.calibrationDeadline,
      },
    ],
  },
  promotion: {
    approved: (s) => [{ name: 'effective-date', command: 'reachEffectiveDate', dueAt: s.effectiveDate }],
  },
  designation: {},
  opening: {
    submitted: (s) => [
      ...reminderRules(s.deadlines.approvalReminders, s.remindersSent),
      { name: 'approval-deadline', command: 'approvalDeadlinePassed', dueAt: s.deadlines.approvalDeadline },
    ],
    approvalEscalated: (s) => [
      {
        name: 'escalation-deadline',
        command: 'escalationDeadlinePassed',
        dueAt: s.deadlines.escalationDeadline,
      },
    ],
    applications: (s) => [
      {
        name: 'application-window',
        command: 'closeApplicationWindow',
        dueAt: s.deadlines.applicationWindowClosesAt,
      },
    ],
  },
  transfer: {
    acknowledgedByManager: (s) => [
      // transfer@1 cases have no reminders (none are set when they are acknowledged)
      ...reminderRules(s.deadlines.approvalReminders, s.remindersSent),
      { name: 'approval-deadline', command: 'approvalDeadlinePassed', dueAt: s.deadlines.approvalDeadline },
    ],
    approvalEscalated: (s) => [
      {
        name: 'escalation-deadline',
        command: 'escalationDeadlinePassed',
        dueAt: s.deadlines.escalationDeadline,
      },
    ],
    effectiveDateAgreed: (s) => [
      { name: 'effective-date', command: 'reachEffectiveDate', dueAt: s.deadlines.effectiveDate },
    ],
  },
  // waiver@1 cases have no deadlines, so nothing is planned for them
  waiver: {
    requested: (s) => [
      ...reminderRules(s.deadlines.approvalReminders, s.remindersSent),
      { name: 'approval-deadline', command: 'approvalDeadlinePassed', dueAt: s.deadlines.approvalDeadline },
    ],
    approvalEscalated: (s) => [
      {
        name: 'escalation-deadline',
        command: 'escalationDeadlinePassed',
        dueAt: s.deadlines.escalationDeadline,
      },
    ],
  },
};

function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9_.-]/g, '_');
}
function compactIso(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().replace(/[^0-9TZ]/g, '');
}

export function timerId(
  caseType: CaseType,
  caseId: string,
  name: string,
  stageVersion: number,
  fireAt: string,
): string {
  return [safe(caseType), safe(caseId), safe(name), `s${stageVersion}`, compactIso(fireAt)].join('-');
}

function rulesFor(state: CaseState): TimerRule[] {
  const plans = TIMER_PLANS[state.caseType] as StagePlans<CaseState>;
  const plan = plans[state.stage];
  return plan ? plan(state) : [];
}

/** Every timer that should exist for the case as it is now. */
export function plannedTimers(state: CaseState): PlannedTimer[] {
  return rulesFor(state)
    .filter((r): r is TimerRule & { dueAt: string } => r.dueAt !== undefined)
    .map((r) => ({
      timerId: timerId(state.caseType, state.caseId, r.name, state.stageEnteredVersion, r.dueAt),
      caseType: state.caseType,
      caseId: state.caseId,
      name: r.name,
      stage: state.stage,
      fireAt: r.dueAt,
      command: {
        type: r.command,
        caseId: state.caseId,
        payload: { ...r.extra, forStageVersion: state.stageEnteredVersion, dueAt: r.dueAt },
      },
    }));
}

/**
 * Timers to schedule after `events` were appended and folded into `stateAfter`. Safe to call
 * again for the same events: ids are deterministic, and a timer whose work is done is refused.
 */
export function timersFor(
  caseType: CaseType,
  stateAfter: CaseState,
  events: readonly DomainEvent[],
): PlannedTimer[] {
  if (stateAfter.caseType !== caseType) {
    throw new Error(`timersFor: state is a ${stateAfter.caseType}, not a ${caseType}`);
  }
  return events.length === 0 ? [] : plannedTimers(stateAfter);
}

/** Timer ids to cancel when a case moves from `before` to `after` (it left a stage, or a deadline moved). */
export function timersToCancel(before: CaseState | undefined, after: CaseState): string[] {
  if (!before) return [];
  const keep = new Set(plannedTimers(after).map((t) => t.timerId));
  return plannedTimers(before)
    .map((t) => t.timerId)
    .filter((id) => !keep.has(id));
}

/** Both halves at once: what to add and what to remove. */
export function timerChanges(
  before: CaseState | undefined,
  after: CaseState,
): { schedule: PlannedTimer[]; cancel: string[] } {
  const had = new Set(before ? plannedTimers(before).map((t) => t.timerId) : []);
  return {
    schedule: plannedTimers(after).filter((t) => !had.has(t.timerId)),
    cancel: timersToCancel(before, after),
  };
}
