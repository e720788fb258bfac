import { z } from 'zod';
import { ForbiddenError } from '../errors.js';
import { commandSpec, creationSpec, defineAggregate, eventSpec, stamp } from '../common/kit.js';
import { id, type CaseStateBase, type DomainEvent, type Stamp } from '../common/types.js';

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
};
type Cmd = { [K in keyof typeof waiverCommandSchemas]: z.infer<(typeof waiverCommandSchemas)[K]> };

export const waiverEventSchemas = {
  WaiverRequested: waiverCommandSchemas.request.extend({ machineVersion: z.string() }),
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

export const waiver = defineAggregate<WaiverState>({
  caseType: 'waiver',
  factsFromState: (s) => ({ employeeId: s.employeeId, requesterId: s.requestedBy.by }),
  creations: {
    request: creationSpec<Cmd['request']>({
      schema: C.request,
      facts: (p) => ({ employeeId: p.employeeId }),
      emit: ({ payload }) => [{ type: 'WaiverRequested', payload }],
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
  },
  events: {
    WaiverRequested: eventSpec<St, Ev['WaiverRequested']>({
      schema: S.WaiverRequested,
      create: (e) => ({
        employeeId: e.payload.employeeId,
        subjectCaseType: e.payload.subjectCaseType,
        subjectCaseId: e.payload.subjectCaseId,
        targetRoleId: e.payload.targetRoleId,
        requirementIds: e.payload.requirementIds,
        urgentNeed: e.payload.urgentNeed,
        requestedBy: stamp(e),
      }),
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
  },
});
