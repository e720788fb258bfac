import { z } from 'zod';
import { commandSpec, creationSpec, defineAggregate, eventSpec, stamp, decisionOf } from '../common/kit.js';
import { assertAllMet, requireEligibility, unmetRequirements } from '../common/rules.js';
import {
  frameworkVersionSchema,
  id,
  isoDate,
  type CaseStateBase,
  type DomainEvent,
  type FrameworkVersion,
  type Stamp,
} from '../common/types.js';

export interface DesignationState extends CaseStateBase {
  caseType: 'designation';
  employeeId: string;
  designationId: string;
  frameworkId: string;
  frameworkVersion: FrameworkVersion;
  team: string;
  justification?: string;
  nominatedBy: Stamp;
  peerReview?: Stamp & { outcome: 'passed' | 'failed'; summary?: string; reviewers: string[] };
  approval?: Stamp & { decision: 'approved' | 'rejected'; note?: string };
  startDate?: string;
  endDate?: string;
  withdrawn?: Stamp;
}

const note = z.string().max(4000).optional();
export const designationCommandSchemas = {
  nominate: z.object({
    employeeId: id,
    designationId: id,
    frameworkId: id,
    frameworkVersion: frameworkVersionSchema,
    team: id,
    justification: z.string().max(4000).optional(),
  }),
  beginPeerReview: z.object({}),
  recordPeerReview: z.object({
    outcome: z.enum(['passed', 'failed']),
    summary: note,
    reviewers: z.array(id).default([]),
  }),
  approve: z.object({ startDate: isoDate, note }),
  reject: z.object({ note }),
  end: z.object({ endDate: isoDate, note }),
  withdraw: z.object({}),
};
type Cmd = { [K in keyof typeof designationCommandSchemas]: z.infer<(typeof designationCommandSchemas)[K]> };

export const designationEventSchemas = {
  TeamLeadNominated: designationCommandSchemas.nominate.extend({ machineVersion: z.string() }),
  DesignationPeerReviewStarted: z.object({}),
  DesignationPeerReviewRecorded: z.object({
    outcome: z.enum(['passed', 'failed']),
    summary: z.string().optional(),
    reviewers: z.array(id),
  }),
  TeamLeadDesignated: z.object({
    employeeId: id,
    designationId: id,
    team: id,
    startDate: isoDate,
    note: z.string().optional(),
  }),
  DesignationRejected: z.object({ note: z.string().optional() }),
  TeamLeadDesignationEnded: z.object({
    employeeId: id,
    designationId: id,
    endDate: isoDate,
    note: z.string().optional(),
  }),
  DesignationWithdrawn: z.object({}),
};
type Ev = { [K in keyof typeof designationEventSchemas]: z.infer<(typeof designationEventSchemas)[K]> };
export type DesignationEvent = { [K in keyof Ev]: DomainEvent<K, Ev[K]> }[keyof Ev];

type St = DesignationState;
const C = designationCommandSchemas;
const S = designationEventSchemas;

export const designation = defineAggregate<DesignationState>({
  caseType: 'designation',
  factsFromState: (s) => ({ employeeId: s.employeeId, requesterId: s.nominatedBy.by }),
  creations: {
    nominate: creationSpec<Cmd['nominate']>({
      schema: C.nominate,
      facts: (p) => ({ employeeId: p.employeeId }),
      // a designation is for a senior IC: the framework's designation requirements must be met
      // (peer review is run by this workflow, so it is not required up front)
      check: ({ ctx }) =>
        assertAllMet(
          'nominate',
          unmetRequirements(requireEligibility(ctx, 'nominate'), {
            grantedWaivers: ctx.grantedWaivers ?? [],
            deferPeerReview: true,
          }),
        ),
      emit: ({ payload }) => [{ type: 'TeamLeadNominated', payload }],
    }),
  },
  commands: {
    beginPeerReview: commandSpec<St, Cmd['beginPeerReview']>({
      schema: C.beginPeerReview,
      machineEvents: ['BEGIN_PEER_REVIEW'],
      emit: () => [{ type: 'DesignationPeerReviewStarted', payload: {} }],
    }),
    recordPeerReview: commandSpec<St, Cmd['recordPeerReview']>({
      schema: C.recordPeerReview,
      machineEvents: ['PEER_REVIEW_PASSED', 'PEER_REVIEW_FAILED'],
      toMachineEvent: (p) => ({ type: p.outcome === 'passed' ? 'PEER_REVIEW_PASSED' : 'PEER_REVIEW_FAILED' }),
      emit: ({ payload }) => [{ type: 'DesignationPeerReviewRecorded', payload }],
    }),
    approve: commandSpec<St, Cmd['approve']>({
      schema: C.approve,
      machineEvents: ['APPROVE'],
      emit: ({ state, payload }) => [
        {
          type: 'TeamLeadDesignated',
          payload: {
            employeeId: state.employeeId,
            designationId: state.designationId,
            team: state.team,
            ...payload,
          },
        },
      ],
    }),
    reject: commandSpec<St, Cmd['reject']>({
      schema: C.reject,
      machineEvents: ['REJECT'],
      emit: ({ payload }) => [{ type: 'DesignationRejected', payload }],
    }),
    end: commandSpec<St, Cmd['end']>({
      schema: C.end,
      machineEvents: ['END'],
      emit: ({ state, payload }) => [
        {
          type: 'TeamLeadDesignationEnded',
          payload: { employeeId: state.employeeId, designationId: state.designationId, ...payload },
        },
      ],
    }),
    withdraw: commandSpec<St, Cmd['withdraw']>({
      schema: C.withdraw,
      machineEvents: ['WITHDRAW'],
      emit: () => [{ type: 'DesignationWithdrawn', payload: {} }],
    }),
  },
  events: {
    TeamLeadNominated: eventSpec<St, Ev['TeamLeadNominated']>({
      schema: S.TeamLeadNominated,
      create: (e) => {
        const p = e.payload;
        const data: Omit<St, keyof CaseStateBase> = {
          employeeId: p.employeeId,
          designationId: p.designationId,
          frameworkId: p.frameworkId,
          frameworkVersion: p.frameworkVersion,
          team: p.team,
          nominatedBy: stamp(e),
        };
        if (p.justification !== undefined) data.justification = p.justification;
        return data;
      },
    }),
    DesignationPeerReviewStarted: eventSpec<St, Ev['DesignationPeerReviewStarted']>({
      schema: S.DesignationPeerReviewStarted,
      machineEvent: () => ({ type: 'BEGIN_PEER_REVIEW' }),
    }),
    DesignationPeerReviewRecorded: eventSpec<St, Ev['DesignationPeerReviewRecorded']>({
      schema: S.DesignationPeerReviewRecorded,
      machineEvent: (p) => ({ type: p.outcome === 'passed' ? 'PEER_REVIEW_PASSED' : 'PEER_REVIEW_FAILED' }),
      apply: (s, e) => {
        const peerReview: NonNullable<St['peerReview']> = {
          outcome: e.payload.outcome,
          reviewers: e.payload.reviewers,
          ...stamp(e),
        };
        if (e.payload.summary !== undefined) peerReview.summary = e.payload.summary;
        return { ...s, peerReview };
      },
    }),
    TeamLeadDesignated: eventSpec<St, Ev['TeamLeadDesignated']>({
      schema: S.TeamLeadDesignated,
      machineEvent: () => ({ type: 'APPROVE' }),
      apply: (s, e) => {
        const approval: NonNullable<St['approval']> = decisionOf(e, 'approved');
        return { ...s, approval, startDate: e.payload.startDate };
      },
    }),
    DesignationRejected: eventSpec<St, Ev['DesignationRejected']>({
      schema: S.DesignationRejected,
      machineEvent: () => ({ type: 'REJECT' }),
      apply: (s, e) => {
        const approval: NonNullable<St['approval']> = decisionOf(e, 'rejected');
        return { ...s, approval };
      },
    }),
    TeamLeadDesignationEnded: eventSpec<St, Ev['TeamLeadDesignationEnded']>({
      schema: S.TeamLeadDesignationEnded,
      machineEvent: () => ({ type: 'END' }),
      apply: (s, e) => ({ ...s, endDate: e.payload.endDate }),
    }),
    DesignationWithdrawn: eventSpec<St, Ev['DesignationWithdrawn']>({
      schema: S.DesignationWithdrawn,
      machineEvent: () => ({ type: 'WITHDRAW' }),
      apply: (s, e) => ({ ...s, withdrawn: stamp(e) }),
    }),
  },
});
