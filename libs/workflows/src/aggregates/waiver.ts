import { z } from 'zod';
import { ForbiddenError, StageConflictError } from '../errors.js';
import { commandSpec, creationSpec, defineAggregate, eventSpec, stamp } from '../common/kit.js';
import {
  addHours,
  approvalSchedule,
  timerPayload,
  assertDeadlineDue,
  assertReminderDue,
} from '../common/rules.js';
import { DEADLINE_POLICY } from '../deadline-policy.js';
import { id, isoInstant, type CaseStateBase, type DomainEvent, type Stamp } from '../common/types.js';

export const WAIVABLE_CASE_TYPES = ['promotion', 'designation', 'opening', 'transfer'] as const;

export interface WaiverState extends CaseStateBase {
  caseType: 'waiver';
  employeeId: string;
  subjectCaseType: (typeof WAIVABLE_CASE_TYPES)[number];
  subjectCaseId: string;
  targetRoleId: string;
  requirementIds: string[];
  urgentNeed: string;
  requestedBy: Stamp;
  decision?: Stamp & { outcome: 'granted' | 'denied'; note?: string };
  withdrawn?: Stamp;
  /** waiver@2: set when requested (waiver@1 cases have none) */
  deadlines: { approvalDeadline?: string; approvalReminders?: string[]; escalationDeadline?: string };
  remindersSent: number;
  escalatedAt?: string;
  expired?: Stamp;
}

export const waiverCommandSchemas = {
  request: z.object({
    employeeId: id,
    subjectCaseType: z.enum(WAIVABLE_CASE_TYPES),
    subjectCaseId: id,
    targetRoleId: id,
    requirementIds: z.array(id).min(1),
    urgentNeed: z
      .string()
      .trim()
      .min(10, 'state the urgent need to fill the role (10 characters at least)')
      .max(4000),
  }),
  grant: z.object({ note: z.string().max(4000).optional() }),
  deny: z.object({ note: z.string().max(4000).optional() }),
  withdraw: z.object({}),
  remindApproval: timerPayload.extend({ reminderNumber: z.number().int().positive().optional() }),
  approvalDeadlinePassed: timerPayload,
  escalationDeadlinePassed: timerPayload,
};
type Cmd = { [K in keyof typeof waiverCommandSchemas]: z.infer<(typeof waiverCommandSchemas)[K]> };

export const waiverEventSchemas = {
  WaiverRequested: waiverCommandSchemas.request.extend({
    machineVersion: z.string(),
    // waiver@2 onwards; absent on waiver@1 streams
    approvalDeadline: isoInstant.optional(),
    approvalReminders: z.array(isoInstant).optional(),
    escalationDeadline: isoInstant.optional(),
  }),
  WaiverGranted: z.object({
    employeeId: id,
    subjectCaseType: z.enum(WAIVABLE_CASE_TYPES),
    subjectCaseId: id,
    targetRoleId: id,
    requirementIds: z.array(id),
    note: z.string().optional(),
  }),
  WaiverDenied: z.object({ subjectCaseId: id, note: z.string().optional() }),
  WaiverWithdrawn: z.object({ subjectCaseId: id }),
  WaiverApprovalReminderDue: z.object({
    subjectCaseId: id,
    approvalDeadline: isoInstant,
    reminderNumber: z.number().int().positive(),
  }),
  WaiverApprovalEscalated: z.object({
    employeeId: id,
    subjectCaseType: z.enum(WAIVABLE_CASE_TYPES),
    subjectCaseId: id,
    approvalDeadline: isoInstant,
    escalationDeadline: isoInstant,
  }),
  WaiverExpired: z.object({ subjectCaseId: id, escalationDeadline: isoInstant }),
};
type Ev = { [K in keyof typeof waiverEventSchemas]: z.infer<(typeof waiverEventSchemas)[K]> };
export type WaiverEvent = { [K in keyof Ev]: DomainEvent<K, Ev[K]> }[keyof Ev];

type St = WaiverState;
const C = waiverCommandSchemas;
const S = waiverEventSchemas;

/** Defence in depth: the recorded requester can never decide, whatever facts the caller passed. */
function assertNotRequester(state: St, actorId: string, action: string): void {
  if (state.requestedBy.by === actorId) {
    throw new ForbiddenError(
      `user '${actorId}' requested this requirement waiver and so may not '${action}' it; another leader must decide`,
      { caseType: 'waiver', action, actorId },
      'SELF_APPROVAL',
    );
  }
}

/** waiver@2 sets its deadlines when requested; the machine refuses the timers on waiver@1 cases first */
function requiredDeadline(state: St, which: 'approvalDeadline' | 'escalationDeadline'): string {
  const at = state.deadlines[which];
  if (at === undefined) {
    throw new StageConflictError({
      caseType: 'waiver',
      caseLabel: 'requirement waiver',
      stage: state.stage,
      action: which === 'approvalDeadline' ? 'approvalDeadlinePassed' : 'escalationDeadlinePassed',
      allowedStages: [],
      note: `this waiver (${state.machineVersion}) has no ${which}`,
      code: 'NO_DEADLINE',
    });
  }
  return at;
}

export const waiver = defineAggregate<WaiverState>({
  caseType: 'waiver',
  factsFromState: (s) => ({ employeeId: s.employeeId, requesterId: s.requestedBy.by }),
  creations: {
    request: creationSpec<Cmd['request']>({
      schema: C.request,
      facts: (p) => ({ employeeId: p.employeeId }),
      emit: ({ payload, ctx }) => {
        const policy = DEADLINE_POLICY.waiver;
        const approvalDeadline = addHours(ctx.now, policy.approvalWindowHours);
        const p: Omit<Ev['WaiverRequested'], 'machineVersion'> = {
          ...payload,
          approvalDeadline,
          ...approvalSchedule(ctx.now, approvalDeadline, policy),
        };
        return [{ type: 'WaiverRequested', payload: p }];
      },
    }),
  },
  commands: {
    grant: commandSpec<St, Cmd['grant']>({
      schema: C.grant,
      machineEvents: ['GRANT'],
      check: ({ state, ctx }) => assertNotRequester(state, ctx.actor.userId, 'grant'),
      emit: ({ state, payload }) => [
        {
          type: 'WaiverGranted',
          payload: {
            employeeId: state.employeeId,
            subjectCaseType: state.subjectCaseType,
            subjectCaseId: state.subjectCaseId,
            targetRoleId: state.targetRoleId,
            requirementIds: state.requirementIds,
            ...payload,
          },
        },
      ],
    }),
    deny: commandSpec<St, Cmd['deny']>({
      schema: C.deny,
      machineEvents: ['DENY'],
      check: ({ state, ctx }) => assertNotRequester(state, ctx.actor.userId, 'deny'),
      emit: ({ state, payload }) => [
        { type: 'WaiverDenied', payload: { subjectCaseId: state.subjectCaseId, ...payload } },
      ],
    }),
    withdraw: commandSpec<St, Cmd['withdraw']>({
      schema: C.withdraw,
      machineEvents: ['WITHDRAW'],
      emit: ({ state }) => [{ type: 'WaiverWithdrawn', payload: { subjectCaseId: state.subjectCaseId } }],
    }),
    remindApproval: commandSpec<St, Cmd['remindApproval']>({
      schema: C.remindApproval,
      machineEvents: ['REMIND_APPROVAL'],
      check: ({ state, payload }) => {
        assertReminderDue(state, payload);
      },
      emit: ({ state }) => [
        {
          type: 'WaiverApprovalReminderDue',
          payload: {
            subjectCaseId: state.subjectCaseId,
            approvalDeadline: requiredDeadline(state, 'approvalDeadline'),
            reminderNumber: state.remindersSent + 1,
          },
        },
      ],
    }),
    approvalDeadlinePassed: commandSpec<St, Cmd['approvalDeadlinePassed']>({
      schema: C.approvalDeadlinePassed,
      machineEvents: ['APPROVAL_DEADLINE_PASSED'],
      check: ({ state, payload, ctx }) => {
        assertDeadlineDue(
          state,
          payload,
          'approvalDeadlinePassed',
          ctx.now,
          state.deadlines.approvalDeadline,
        );
      },
      emit: ({ state }) => [
        {
          type: 'WaiverApprovalEscalated',
          payload: {
            employeeId: state.employeeId,
            subjectCaseType: state.subjectCaseType,
            subjectCaseId: state.subjectCaseId,
            approvalDeadline: requiredDeadline(state, 'approvalDeadline'),
            escalationDeadline: requiredDeadline(state, 'escalationDeadline'),
          },
        },
      ],
    }),
    escalationDeadlinePassed: commandSpec<St, Cmd['escalationDeadlinePassed']>({
      schema: C.escalationDeadlinePassed,
      machineEvents: ['ESCALATION_DEADLINE_PASSED'],
      check: ({ state, payload, ctx }) => {
        assertDeadlineDue(
          state,
          payload,
          'escalationDeadlinePassed',
          ctx.now,
          state.deadlines.escalationDeadline,
        );
      },
      emit: ({ state }) => [
        {
          type: 'WaiverExpired',
          payload: {
            subjectCaseId: state.subjectCaseId,
            escalationDeadline: requiredDeadline(state, 'escalationDeadline'),
          },
        },
      ],
    }),
  },
  events: {
    WaiverRequested: eventSpec<St, Ev['WaiverRequested']>({
      schema: S.WaiverRequested,
      create: (e) => {
        const deadlines: St['deadlines'] = {};
        if (e.payload.approvalDeadline !== undefined) deadlines.approvalDeadline = e.payload.approvalDeadline;
        if (e.payload.approvalReminders !== undefined)
          deadlines.approvalReminders = e.payload.approvalReminders;
        if (e.payload.escalationDeadline !== undefined) {
          deadlines.escalationDeadline = e.payload.escalationDeadline;
        }
        return {
          employeeId: e.payload.employeeId,
          subjectCaseType: e.payload.subjectCaseType,
          subjectCaseId: e.payload.subjectCaseId,
          targetRoleId: e.payload.targetRoleId,
          requirementIds: e.payload.requirementIds,
          urgentNeed: e.payload.urgentNeed,
          requestedBy: stamp(e),
          deadlines,
          remindersSent: 0,
        };
      },
    }),
    WaiverGranted: eventSpec<St, Ev['WaiverGranted']>({
      schema: S.WaiverGranted,
      machineEvent: () => ({ type: 'GRANT' }),
      apply: (s, e) => {
        const decision: NonNullable<St['decision']> = { outcome: 'granted', ...stamp(e) };
        if (e.payload.note !== undefined) decision.note = e.payload.note;
        return { ...s, decision };
      },
    }),
    WaiverDenied: eventSpec<St, Ev['WaiverDenied']>({
      schema: S.WaiverDenied,
      machineEvent: () => ({ type: 'DENY' }),
      apply: (s, e) => {
        const decision: NonNullable<St['decision']> = { outcome: 'denied', ...stamp(e) };
        if (e.payload.note !== undefined) decision.note = e.payload.note;
        return { ...s, decision };
      },
    }),
    WaiverWithdrawn: eventSpec<St, Ev['WaiverWithdrawn']>({
      schema: S.WaiverWithdrawn,
      machineEvent: () => ({ type: 'WITHDRAW' }),
      apply: (s, e) => ({ ...s, withdrawn: stamp(e) }),
    }),
    WaiverApprovalReminderDue: eventSpec<St, Ev['WaiverApprovalReminderDue']>({
      schema: S.WaiverApprovalReminderDue,
      machineEvent: () => ({ type: 'REMIND_APPROVAL' }),
      apply: (s) => ({ ...s, remindersSent: s.remindersSent + 1 }),
    }),
    WaiverApprovalEscalated: eventSpec<St, Ev['WaiverApprovalEscalated']>({
      schema: S.WaiverApprovalEscalated,
      machineEvent: () => ({ type: 'APPROVAL_DEADLINE_PASSED' }),
      apply: (s, e) => ({ ...s, escalatedAt: e.meta.occurredAt }),
    }),
    WaiverExpired: eventSpec<St, Ev['WaiverExpired']>({
      schema: S.WaiverExpired,
      machineEvent: () => ({ type: 'ESCALATION_DEADLINE_PASSED' }),
      apply: (s, e) => ({ ...s, expired: stamp(e) }),
    }),
  },
});
