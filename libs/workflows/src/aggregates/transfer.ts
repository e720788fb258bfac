import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import { commandSpec, creationSpec, defineAggregate, eventSpec, stamp, decisionOf } from '../common/kit.js';
import {
  addHours,
  assertAllMet,
  assertNotBefore,
  assertTimerCurrent,
  requireEligibility,
  timerPayload,
  unmetRequirements,
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
  deadlines: { approvalDeadline?: string; effectiveDate?: string };
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
  approvalDeadlinePassed: timerPayload,
  agreeEffectiveDate: z.object({ effectiveDate: isoInstant }),
  reachEffectiveDate: timerPayload,
  complete: z.object({}),
  withdraw: z.object({}),
};
type Cmd = { [K in keyof typeof transferCommandSchemas]: z.infer<(typeof transferCommandSchemas)[K]> };

export const transferEventSchemas = {
  TransferRequested: transferCommandSchemas.request.extend({ machineVersion: z.string() }),
  TransferAcknowledged: z.object({ approvalDeadline: isoInstant, note: z.string().optional() }),
  TransferApproved: z.object({ toTeam: id, note: z.string().optional() }),
  TransferRejected: z.object({ toTeam: id, note: z.string().optional() }),
  TransferApprovalExpired: z.object({ approvalDeadline: isoInstant }),
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
      emit: ({ payload, ctx }) => {
        const p: Ev['TransferAcknowledged'] = {
          approvalDeadline:
            payload.approvalDeadline ?? addHours(ctx.now, DEADLINE_POLICY.transfer.approvalWindowHours),
        };
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
        assertTimerCurrent(state, payload, 'approvalDeadlinePassed', state.deadlines.approvalDeadline);
        assertNotBefore('approvalDeadlinePassed', ctx.now, state.deadlines.approvalDeadline);
      },
      emit: ({ state }) => [
        { type: 'TransferApprovalExpired', payload: { approvalDeadline: state.deadlines.approvalDeadline } },
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
        assertTimerCurrent(state, payload, 'reachEffectiveDate', state.deadlines.effectiveDate);
        assertNotBefore('reachEffectiveDate', ctx.now, state.deadlines.effectiveDate);
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
        deadlines: { ...s.deadlines, approvalDeadline: e.payload.approvalDeadline },
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
