import { z } from 'zod';
import { InvalidInputError, StageConflictError } from '../errors.js';
import { commandSpec, creationSpec, defineAggregate, eventSpec, stamp, decisionOf } from '../common/kit.js';
import {
  addHours,
  approvalSchedule,
  assertAllMet,
  requireEligibility,
  timerPayload,
  unmetRequirements,
  assertDeadlineDue,
  assertReminderDue,
} from '../common/rules.js';
import { DEADLINE_POLICY } from '../deadline-policy.js';
import { id, isoInstant, type CaseStateBase, type DomainEvent, type Stamp } from '../common/types.js';

export interface TransferState extends CaseStateBase {
  caseType: 'transfer';
  employeeId: string;
  fromTeam: string;
  toTeam: string;
  motivation?: string;
  requestedBy: Stamp;
  acknowledgedBy?: Stamp;
  approval?: Stamp & { decision: 'approved' | 'rejected'; note?: string };
  deadlines: {
    approvalDeadline?: string;
    /** transfer@2: reminders before the approval deadline, and the escalation deadline after it */
    approvalReminders?: string[];
    escalationDeadline?: string;
    effectiveDate?: string;
  };
  remindersSent: number;
  escalatedAt?: string;
  effectiveDateAgreedBy?: Stamp;
  endedBy?: Stamp & { how: 'completed' | 'withdrawn' | 'expired' };
}

const note = z.string().max(4000).optional();
export const transferCommandSchemas = {
  request: z.object({
    employeeId: id,
    fromTeam: id,
    toTeam: id,
    motivation: z.string().max(4000).optional(),
  }),
  acknowledge: z.object({ approvalDeadline: isoInstant.optional(), note }),
  approve: z.object({ note }),
  reject: z.object({ note }),
  remindApproval: timerPayload.extend({ reminderNumber: z.number().int().positive().optional() }),
  approvalDeadlinePassed: timerPayload,
  escalationDeadlinePassed: timerPayload,
  agreeEffectiveDate: z.object({ effectiveDate: isoInstant }),
  reachEffectiveDate: timerPayload,
  complete: z.object({}),
  withdraw: z.object({}),
};
type Cmd = { [K in keyof typeof transferCommandSchemas]: z.infer<(typeof transferCommandSchemas)[K]> };

export const transferEventSchemas = {
  TransferRequested: transferCommandSchemas.request.extend({ machineVersion: z.string() }),
  TransferAcknowledged: z.object({
    approvalDeadline: isoInstant,
    // transfer@2 onwards; absent on transfer@1 streams
    approvalReminders: z.array(isoInstant).optional(),
    escalationDeadline: isoInstant.optional(),
    note: z.string().optional(),
  }),
  TransferApproved: z.object({ toTeam: id, note: z.string().optional() }),
  TransferRejected: z.object({ toTeam: id, note: z.string().optional() }),
  /** transfer@1: the approval deadline lapsed and the transfer expired */
  TransferApprovalExpired: z.object({ approvalDeadline: isoInstant }),
  TransferApprovalReminderDue: z.object({
    toTeam: id,
    approvalDeadline: isoInstant,
    reminderNumber: z.number().int().positive(),
  }),
  /** transfer@2: the approval deadline lapsed; escalated until the escalation deadline */
  TransferApprovalEscalated: z.object({
    employeeId: id,
    toTeam: id,
    approvalDeadline: isoInstant,
    escalationDeadline: isoInstant,
  }),
  /** transfer@2: still undecided at the escalation deadline */
  TransferExpired: z.object({ escalationDeadline: isoInstant }),
  TransferEffectiveDateAgreed: z.object({ effectiveDate: isoInstant }),
  TransferBecameEffective: z.object({ employeeId: id, fromTeam: id, toTeam: id, effectiveDate: isoInstant }),
  TransferCompleted: z.object({}),
  TransferWithdrawn: z.object({}),
};
type Ev = { [K in keyof typeof transferEventSchemas]: z.infer<(typeof transferEventSchemas)[K]> };
export type TransferEvent = { [K in keyof Ev]: DomainEvent<K, Ev[K]> }[keyof Ev];

type St = TransferState;
const C = transferCommandSchemas;
const S = transferEventSchemas;

function assertFuture(now: string, at: string, path: string): void {
  if (Date.parse(at) <= Date.parse(now)) {
    throw new InvalidInputError(`${path} must be in the future (after ${now})`, [
      { path, message: 'must be after now' },
    ]);
  }
}

/** transfer@1 expires at the approval deadline; later versions remind before it and escalate after it */
function escalates(state: St): boolean {
  return state.machineVersion !== 'transfer@1';
}

function requiredDeadline(
  state: St,
  which: 'approvalDeadline' | 'escalationDeadline',
  action: string,
): string {
  const at = state.deadlines[which];
  if (at === undefined) {
    throw new StageConflictError({
      caseType: 'transfer',
      caseLabel: 'cross-team transfer',
      stage: state.stage,
      action,
      allowedStages: [],
      note: `this transfer (${state.machineVersion}) has no ${which}`,
      code: 'NO_DEADLINE',
    });
  }
  return at;
}

export const transfer = defineAggregate<TransferState>({
  caseType: 'transfer',
  factsFromState: (s) => ({
    employeeId: s.employeeId,
    receivingTeam: s.toTeam,
    requesterId: s.requestedBy.by,
  }),
  creations: {
    request: creationSpec<Cmd['request']>({
      schema: C.request,
      facts: (p) => ({ employeeId: p.employeeId, receivingTeam: p.toTeam }),
      check: ({ payload }) => {
        if (payload.fromTeam === payload.toTeam) {
          throw new InvalidInputError('a transfer needs a different receiving team', [
            { path: 'toTeam', message: 'must differ from fromTeam' },
          ]);
        }
        // The tenure rule is enforced when the manager acknowledges, not here: a transfer requested
        // before the tenure is reached is the case a tenure waiver is requested against.
      },
      emit: ({ payload }) => [{ type: 'TransferRequested', payload }],
    }),
  },
  commands: {
    acknowledge: commandSpec<St, Cmd['acknowledge']>({
      schema: C.acknowledge,
      machineEvents: ['ACKNOWLEDGE'],
      check: ({ payload, ctx }) => {
        if (payload.approvalDeadline) assertFuture(ctx.now, payload.approvalDeadline, 'approvalDeadline');
        // transfers are open after a minimum tenure with the team (a framework requirement), or a waiver
        assertAllMet(
          'acknowledge',
          unmetRequirements(requireEligibility(ctx, 'acknowledge'), {
            grantedWaivers: ctx.grantedWaivers ?? [],
          }),
          'Request a waiver of the tenure requirement for this transfer (POST /waivers) for leadership to decide',
        );
      },
      emit: ({ state, payload, ctx }) => {
        const policy = DEADLINE_POLICY.transfer;
        const approvalDeadline = payload.approvalDeadline ?? addHours(ctx.now, policy.approvalWindowHours);
        const p: Ev['TransferAcknowledged'] = escalates(state)
          ? { approvalDeadline, ...approvalSchedule(ctx.now, approvalDeadline, policy) }
          : { approvalDeadline };
        if (payload.note !== undefined) p.note = payload.note;
        return [{ type: 'TransferAcknowledged', payload: p }];
      },
    }),
    approve: commandSpec<St, Cmd['approve']>({
      schema: C.approve,
      machineEvents: ['APPROVE'],
      emit: ({ state, payload }) => [
        { type: 'TransferApproved', payload: { toTeam: state.toTeam, ...payload } },
      ],
    }),
    reject: commandSpec<St, Cmd['reject']>({
      schema: C.reject,
      machineEvents: ['REJECT'],
      emit: ({ state, payload }) => [
        { type: 'TransferRejected', payload: { toTeam: state.toTeam, ...payload } },
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
      emit: ({ state }) => {
        const approvalDeadline = requiredDeadline(state, 'approvalDeadline', 'approvalDeadlinePassed');
        if (!escalates(state)) return [{ type: 'TransferApprovalExpired', payload: { approvalDeadline } }];
        return [
          {
            type: 'TransferApprovalEscalated',
            payload: {
              employeeId: state.employeeId,
              toTeam: state.toTeam,
              approvalDeadline,
              escalationDeadline: requiredDeadline(state, 'escalationDeadline', 'approvalDeadlinePassed'),
            },
          },
        ];
      },
    }),
    remindApproval: commandSpec<St, Cmd['remindApproval']>({
      schema: C.remindApproval,
      machineEvents: ['REMIND_APPROVAL'],
      check: ({ state, payload }) => {
        assertReminderDue(state, payload);
      },
      emit: ({ state }) => [
        {
          type: 'TransferApprovalReminderDue',
          payload: {
            toTeam: state.toTeam,
            approvalDeadline: requiredDeadline(state, 'approvalDeadline', 'remindApproval'),
            reminderNumber: state.remindersSent + 1,
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
          type: 'TransferExpired',
          payload: {
            escalationDeadline: requiredDeadline(state, 'escalationDeadline', 'escalationDeadlinePassed'),
          },
        },
      ],
    }),
    agreeEffectiveDate: commandSpec<St, Cmd['agreeEffectiveDate']>({
      schema: C.agreeEffectiveDate,
      machineEvents: ['AGREE_EFFECTIVE_DATE'],
      check: ({ payload, ctx }) => assertFuture(ctx.now, payload.effectiveDate, 'effectiveDate'),
      emit: ({ payload }) => [{ type: 'TransferEffectiveDateAgreed', payload }],
    }),
    reachEffectiveDate: commandSpec<St, Cmd['reachEffectiveDate']>({
      schema: C.reachEffectiveDate,
      machineEvents: ['EFFECTIVE_DATE_REACHED'],
      check: ({ state, payload, ctx }) => {
        assertDeadlineDue(state, payload, 'reachEffectiveDate', ctx.now, state.deadlines.effectiveDate);
      },
      emit: ({ state }) => [
        {
          type: 'TransferBecameEffective',
          payload: {
            employeeId: state.employeeId,
            fromTeam: state.fromTeam,
            toTeam: state.toTeam,
            effectiveDate: state.deadlines.effectiveDate,
          },
        },
      ],
    }),
    complete: commandSpec<St, Cmd['complete']>({
      schema: C.complete,
      machineEvents: ['COMPLETE'],
      emit: () => [{ type: 'TransferCompleted', payload: {} }],
    }),
    withdraw: commandSpec<St, Cmd['withdraw']>({
      schema: C.withdraw,
      machineEvents: ['WITHDRAW'],
      emit: () => [{ type: 'TransferWithdrawn', payload: {} }],
    }),
  },
  events: {
    TransferRequested: eventSpec<St, Ev['TransferRequested']>({
      schema: S.TransferRequested,
      create: (e) => {
        const data: Omit<St, keyof CaseStateBase> = {
          employeeId: e.payload.employeeId,
          fromTeam: e.payload.fromTeam,
          toTeam: e.payload.toTeam,
          requestedBy: stamp(e),
          deadlines: {},
          remindersSent: 0,
        };
        if (e.payload.motivation !== undefined) data.motivation = e.payload.motivation;
        return data;
      },
    }),
    TransferAcknowledged: eventSpec<St, Ev['TransferAcknowledged']>({
      schema: S.TransferAcknowledged,
      machineEvent: () => ({ type: 'ACKNOWLEDGE' }),
      apply: (s, e) => ({
        ...s,
        acknowledgedBy: stamp(e),
        deadlines: {
          ...s.deadlines,
          approvalDeadline: e.payload.approvalDeadline,
          ...(e.payload.approvalReminders !== undefined
            ? { approvalReminders: e.payload.approvalReminders }
            : {}),
          ...(e.payload.escalationDeadline !== undefined
            ? { escalationDeadline: e.payload.escalationDeadline }
            : {}),
        },
      }),
    }),
    TransferApproved: eventSpec<St, Ev['TransferApproved']>({
      schema: S.TransferApproved,
      machineEvent: () => ({ type: 'APPROVE' }),
      apply: (s, e) => {
        const approval: NonNullable<St['approval']> = decisionOf(e, 'approved');
        return { ...s, approval };
      },
    }),
    TransferRejected: eventSpec<St, Ev['TransferRejected']>({
      schema: S.TransferRejected,
      machineEvent: () => ({ type: 'REJECT' }),
      apply: (s, e) => {
        const approval: NonNullable<St['approval']> = decisionOf(e, 'rejected');
        return { ...s, approval };
      },
    }),
    TransferApprovalExpired: eventSpec<St, Ev['TransferApprovalExpired']>({
      schema: S.TransferApprovalExpired,
      machineEvent: () => ({ type: 'APPROVAL_DEADLINE_PASSED' }),
      apply: (s, e) => ({ ...s, endedBy: { how: 'expired', ...stamp(e) } }),
    }),
    TransferApprovalReminderDue: eventSpec<St, Ev['TransferApprovalReminderDue']>({
      schema: S.TransferApprovalReminderDue,
      machineEvent: () => ({ type: 'REMIND_APPROVAL' }),
      apply: (s) => ({ ...s, remindersSent: s.remindersSent + 1 }),
    }),
    TransferApprovalEscalated: eventSpec<St, Ev['TransferApprovalEscalated']>({
      schema: S.TransferApprovalEscalated,
      machineEvent: () => ({ type: 'APPROVAL_DEADLINE_PASSED' }),
      apply: (s, e) => ({ ...s, escalatedAt: e.meta.occurredAt }),
    }),
    TransferExpired: eventSpec<St, Ev['TransferExpired']>({
      schema: S.TransferExpired,
      machineEvent: () => ({ type: 'ESCALATION_DEADLINE_PASSED' }),
      apply: (s, e) => ({ ...s, endedBy: { how: 'expired', ...stamp(e) } }),
    }),
    TransferEffectiveDateAgreed: eventSpec<St, Ev['TransferEffectiveDateAgreed']>({
      schema: S.TransferEffectiveDateAgreed,
      machineEvent: () => ({ type: 'AGREE_EFFECTIVE_DATE' }),
      apply: (s, e) => ({
        ...s,
        effectiveDateAgreedBy: stamp(e),
        deadlines: { ...s.deadlines, effectiveDate: e.payload.effectiveDate },
      }),
    }),
    TransferBecameEffective: eventSpec<St, Ev['TransferBecameEffective']>({
      schema: S.TransferBecameEffective,
      machineEvent: () => ({ type: 'EFFECTIVE_DATE_REACHED' }),
    }),
    TransferCompleted: eventSpec<St, Ev['TransferCompleted']>({
      schema: S.TransferCompleted,
      machineEvent: () => ({ type: 'COMPLETE' }),
      apply: (s, e) => ({ ...s, endedBy: { how: 'completed', ...stamp(e) } }),
    }),
    TransferWithdrawn: eventSpec<St, Ev['TransferWithdrawn']>({
      schema: S.TransferWithdrawn,
      machineEvent: () => ({ type: 'WITHDRAW' }),
      apply: (s, e) => ({ ...s, endedBy: { how: 'withdrawn', ...stamp(e) } }),
    }),
  },
});
