import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import { commandSpec, creationSpec, defineAggregate, eventSpec, stamp } from '../common/kit.js';
import {
  assertAllMet,
  assertCycleDeciding,
  assertNotBefore,
  assertOpenOpening,
  assertTimerCurrent,
  requireEligibility,
  timerPayload,
  unmetRequirements,
} from '../common/rules.js';
import {
  eligibilityVerdictSchema,
  frameworkVersionSchema,
  type FrameworkVersion,
  id,
  isoInstant,
  type CaseStateBase,
  type DomainEvent,
  type EligibilityVerdict,
  type Stamp,
} from '../common/types.js';

export const CAREER_PATHS = ['ic', 'management', 'alternative'] as const;
export type CareerPath = (typeof CAREER_PATHS)[number];
/** paths whose roles exist only against a documented need (an approved, open role opening) */
const NEEDS_DOCUMENTED_NEED: readonly CareerPath[] = ['management', 'alternative'];

export interface PromotionApproval extends Stamp {
  step: 'calibration' | 'leadership';
  decision: 'approved' | 'denied';
  note?: string;
}

export interface PromotionState extends CaseStateBase {
  caseType: 'promotion';
  employeeId: string;
  targetRoleId: string;
  targetPath: CareerPath;
  frameworkId: string;
  frameworkVersion: FrameworkVersion;
  cycleId?: string;
  openingId?: string;
  justification?: string;
  requestedBy: Stamp;
  eligibility?: { verdict: EligibilityVerdict; checkedAt: string; by: string };
  waiverIds: string[];
  pendingWaiverId?: string;
  waivedRequirementIds: string[];
  peerReview?: { outcome: 'passed' | 'failed'; summary?: string; reviewers: string[] } & Stamp;
  recommendation?: { summary: string } & Stamp;
  approvals: PromotionApproval[];
  effectiveDate?: string;
  deadlines: { effectiveDate?: string };
  outcome?: 'approved' | 'denied' | 'withdrawn';
  closedAt?: string;
}

// ---- command payloads (reused by the HTTP layer) ----
export const promotionCommandSchemas = {
  request: z.object({
    employeeId: id,
    targetRoleId: id,
    targetPath: z.enum(CAREER_PATHS),
    frameworkId: id,
    frameworkVersion: frameworkVersionSchema,
    openingId: id.optional(),
    cycleId: id.optional(),
    justification: z.string().max(4000).optional(),
  }),
  checkEligibility: z.object({}),
  waiverRequested: z.object({ waiverId: id, requirementIds: z.array(id).min(1) }),
  waiverDecided: z.object({
    waiverId: id,
    outcome: z.enum(['granted', 'denied']),
    requirementIds: z.array(id).min(1),
  }),
  beginReview: z.object({}),
  recordPeerReview: z.object({
    outcome: z.enum(['passed', 'failed']),
    summary: z.string().max(4000).optional(),
    reviewers: z.array(id).default([]),
  }),
  recommend: z.object({ summary: z.string().min(1).max(4000) }),
  enterCalibration: z.object({ cycleId: id }),
  approve: z.object({ effectiveDate: isoInstant, note: z.string().max(4000).optional() }),
  deny: z.object({ note: z.string().max(4000).optional() }),
  leadershipApprove: z.object({ note: z.string().max(4000).optional() }),
  leadershipDeny: z.object({ note: z.string().max(4000).optional() }),
  reachEffectiveDate: timerPayload,
  close: z.object({}),
  withdraw: z.object({}),
};
type Cmd = { [K in keyof typeof promotionCommandSchemas]: z.infer<(typeof promotionCommandSchemas)[K]> };

// ---- event payloads (schemaVersion 1) ----
const note = z.string().optional();
export const promotionEventSchemas = {
  PromotionRequested: z.object({
    employeeId: id,
    targetRoleId: id,
    targetPath: z.enum(CAREER_PATHS),
    frameworkId: id,
    frameworkVersion: frameworkVersionSchema,
    openingId: id.optional(),
    cycleId: id.optional(),
    justification: z.string().optional(),
    machineVersion: z.string(),
  }),
  EligibilityChecked: z.object({ verdict: eligibilityVerdictSchema }),
  PromotionWaiverPending: z.object({ waiverId: id, requirementIds: z.array(id) }),
  PromotionWaiverDecided: z.object({
    waiverId: id,
    outcome: z.enum(['granted', 'denied']),
    requirementIds: z.array(id),
  }),
  PeerReviewStarted: z.object({}),
  PeerReviewRecorded: z.object({
    outcome: z.enum(['passed', 'failed']),
    summary: z.string().optional(),
    reviewers: z.array(id),
  }),
  ManagerRecommended: z.object({ summary: z.string() }),
  CalibrationEntered: z.object({ cycleId: id }),
  CalibrationApproved: z.object({ cycleId: id, effectiveDate: isoInstant, note }),
  CalibrationDenied: z.object({ cycleId: id, note }),
  LeadershipApproved: z.object({ note }),
  LeadershipDenied: z.object({ note }),
  PromotionBecameEffective: z.object({
    employeeId: id,
    targetRoleId: id,
    frameworkId: id,
    frameworkVersion: frameworkVersionSchema,
    effectiveDate: isoInstant,
  }),
  PromotionClosed: z.object({}),
  PromotionWithdrawn: z.object({}),
};
type Ev = { [K in keyof typeof promotionEventSchemas]: z.infer<(typeof promotionEventSchemas)[K]> };
export type PromotionEvent = {
  [K in keyof Ev]: DomainEvent<K, Ev[K]>;
}[keyof Ev];

const S = promotionEventSchemas;
const C = promotionCommandSchemas;
type St = PromotionState;

function needsDocumentedNeed(path: CareerPath): boolean {
  return NEEDS_DOCUMENTED_NEED.includes(path);
}

export const promotion = defineAggregate<PromotionState>({
  caseType: 'promotion',
  factsFromState: (s) => ({ employeeId: s.employeeId, requesterId: s.requestedBy.by }),
  creations: {
    request: creationSpec<Cmd['request']>({
      schema: C.request,
      facts: (p) => ({ employeeId: p.employeeId }),
      check: ({ payload, ctx }) => {
        if (needsDocumentedNeed(payload.targetPath))
          assertOpenOpening('request', payload.openingId, ctx.opening);
        // an employee may request their own review only when they meet the requirements
        // (or hold granted waivers for the rest); a manager may initiate one for a report anyway
        if (ctx.actor.userId === payload.employeeId) {
          const verdict = requireEligibility(ctx, 'request');
          assertAllMet(
            'request',
            unmetRequirements(verdict, { grantedWaivers: ctx.grantedWaivers ?? [], deferPeerReview: true }),
            'Ask your manager about a requirement waiver, or request again once the requirements are met',
          );
        }
      },
      emit: ({ payload }) => [{ type: 'PromotionRequested', payload }],
    }),
  },
  commands: {
    checkEligibility: commandSpec<St, Cmd['checkEligibility']>({
      schema: C.checkEligibility,
      machineEvents: ['CHECK_ELIGIBILITY'],
      emit: ({ ctx }) => [
        { type: 'EligibilityChecked', payload: { verdict: requireEligibility(ctx, 'checkEligibility') } },
      ],
    }),
    waiverRequested: commandSpec<St, Cmd['waiverRequested']>({
      schema: C.waiverRequested,
      machineEvents: ['WAIVER_REQUESTED'],
      emit: ({ payload }) => [{ type: 'PromotionWaiverPending', payload }],
    }),
    waiverDecided: commandSpec<St, Cmd['waiverDecided']>({
      schema: C.waiverDecided,
      machineEvents: ['WAIVER_DECIDED'],
      check: ({ state, payload }) => {
        if (state.pendingWaiverId !== payload.waiverId) {
          throw new InvalidInputError(
            `waiver '${payload.waiverId}' is not the waiver this case is waiting for ('${state.pendingWaiverId ?? 'none'}')`,
            [{ path: 'waiverId', message: 'not the pending waiver' }],
            'WAIVER_MISMATCH',
          );
        }
      },
      emit: ({ payload }) => [{ type: 'PromotionWaiverDecided', payload }],
    }),
    beginReview: commandSpec<St, Cmd['beginReview']>({
      schema: C.beginReview,
      machineEvents: ['BEGIN_REVIEW'],
      check: ({ state, ctx }) => {
        const verdict = ctx.eligibility ?? state.eligibility?.verdict;
        if (!verdict) requireEligibility(ctx, 'beginReview');
        assertAllMet(
          'beginReview',
          unmetRequirements(verdict!, {
            waivedRequirementIds: state.waivedRequirementIds,
            grantedWaivers: ctx.grantedWaivers ?? [],
            deferPeerReview: true,
          }),
          'Request a waiver for them (leadership decides) or withdraw the case',
        );
        if (needsDocumentedNeed(state.targetPath))
          assertOpenOpening('beginReview', state.openingId, ctx.opening);
      },
      emit: () => [{ type: 'PeerReviewStarted', payload: {} }],
    }),
    recordPeerReview: commandSpec<St, Cmd['recordPeerReview']>({
      schema: C.recordPeerReview,
      machineEvents: ['RECORD_PEER_REVIEW'],
      emit: ({ payload }) => [{ type: 'PeerReviewRecorded', payload }],
    }),
    recommend: commandSpec<St, Cmd['recommend']>({
      schema: C.recommend,
      machineEvents: ['RECOMMEND'],
      check: ({ state }) => {
        if (state.peerReview?.outcome !== 'passed') {
          assertAllMet('recommend', [
            {
              requirementId: 'peer-review',
              kind: 'peerReview',
              missing: state.peerReview
                ? 'the recorded peer review failed'
                : 'no peer review is recorded yet',
            },
          ]);
        }
      },
      emit: ({ payload }) => [{ type: 'ManagerRecommended', payload }],
    }),
    enterCalibration: commandSpec<St, Cmd['enterCalibration']>({
      schema: C.enterCalibration,
      machineEvents: ['ENTER_CALIBRATION'],
      check: ({ payload, ctx }) => assertCycleDeciding('enterCalibration', payload.cycleId, ctx.cycle),
      emit: ({ payload }) => [{ type: 'CalibrationEntered', payload }],
    }),
    approve: commandSpec<St, Cmd['approve']>({
      schema: C.approve,
      machineEvents: ['APPROVE'],
      check: ({ state, ctx }) => {
        assertCycleDeciding('approve', state.cycleId, ctx.cycle);
        if (ctx.eligibility) {
          assertAllMet(
            'approve',
            unmetRequirements(ctx.eligibility, {
              waivedRequirementIds: state.waivedRequirementIds,
              grantedWaivers: ctx.grantedWaivers ?? [],
              deferPeerReview: state.peerReview?.outcome === 'passed',
            }),
          );
        }
        if (needsDocumentedNeed(state.targetPath)) assertOpenOpening('approve', state.openingId, ctx.opening);
      },
      emit: ({ state, payload }) => [
        { type: 'CalibrationApproved', payload: { cycleId: state.cycleId, ...payload } },
      ],
    }),
    deny: commandSpec<St, Cmd['deny']>({
      schema: C.deny,
      machineEvents: ['DENY'],
      check: ({ state, ctx }) => assertCycleDeciding('deny', state.cycleId, ctx.cycle),
      emit: ({ state, payload }) => [
        { type: 'CalibrationDenied', payload: { cycleId: state.cycleId, ...payload } },
      ],
    }),
    leadershipApprove: commandSpec<St, Cmd['leadershipApprove']>({
      schema: C.leadershipApprove,
      machineEvents: ['LEADERSHIP_APPROVE'],
      check: ({ state, ctx }) => assertOpenOpening('leadershipApprove', state.openingId, ctx.opening),
      emit: ({ payload }) => [{ type: 'LeadershipApproved', payload }],
    }),
    leadershipDeny: commandSpec<St, Cmd['leadershipDeny']>({
      schema: C.leadershipDeny,
      machineEvents: ['LEADERSHIP_DENY'],
      emit: ({ payload }) => [{ type: 'LeadershipDenied', payload }],
    }),
    reachEffectiveDate: commandSpec<St, Cmd['reachEffectiveDate']>({
      schema: C.reachEffectiveDate,
      machineEvents: ['EFFECTIVE_DATE_REACHED'],
      check: ({ state, payload, ctx }) => {
        assertTimerCurrent(state, payload, 'reachEffectiveDate', state.effectiveDate);
        assertNotBefore('reachEffectiveDate', ctx.now, state.effectiveDate);
      },
      emit: ({ state }) => [
        {
          type: 'PromotionBecameEffective',
          payload: {
            employeeId: state.employeeId,
            targetRoleId: state.targetRoleId,
            frameworkId: state.frameworkId,
            frameworkVersion: state.frameworkVersion,
            effectiveDate: state.effectiveDate,
          },
        },
      ],
    }),
    close: commandSpec<St, Cmd['close']>({
      schema: C.close,
      machineEvents: ['CLOSE'],
      emit: () => [{ type: 'PromotionClosed', payload: {} }],
    }),
    withdraw: commandSpec<St, Cmd['withdraw']>({
      schema: C.withdraw,
      machineEvents: ['WITHDRAW'],
      emit: () => [{ type: 'PromotionWithdrawn', payload: {} }],
    }),
  },
  events: {
    PromotionRequested: eventSpec<St, Ev['PromotionRequested']>({
      schema: S.PromotionRequested,
      machineInput: (p) => ({ requiresLeadershipApproval: p.targetPath === 'management' }),
      create: (e) => {
        const p = e.payload;
        const data: Omit<St, keyof CaseStateBase> = {
          employeeId: p.employeeId,
          targetRoleId: p.targetRoleId,
          targetPath: p.targetPath,
          frameworkId: p.frameworkId,
          frameworkVersion: p.frameworkVersion,
          requestedBy: stamp(e),
          waiverIds: [],
          waivedRequirementIds: [],
          approvals: [],
          deadlines: {},
        };
        if (p.cycleId !== undefined) data.cycleId = p.cycleId;
        if (p.openingId !== undefined) data.openingId = p.openingId;
        if (p.justification !== undefined) data.justification = p.justification;
        return data;
      },
    }),
    EligibilityChecked: eventSpec<St, Ev['EligibilityChecked']>({
      schema: S.EligibilityChecked,
      machineEvent: () => ({ type: 'CHECK_ELIGIBILITY' }),
      apply: (s, e) => ({
        ...s,
        eligibility: { verdict: e.payload.verdict, checkedAt: e.meta.occurredAt, by: e.meta.actorId },
      }),
    }),
    PromotionWaiverPending: eventSpec<St, Ev['PromotionWaiverPending']>({
      schema: S.PromotionWaiverPending,
      machineEvent: () => ({ type: 'WAIVER_REQUESTED' }),
      apply: (s, e) => ({
        ...s,
        pendingWaiverId: e.payload.waiverId,
        waiverIds: [...s.waiverIds, e.payload.waiverId],
      }),
    }),
    PromotionWaiverDecided: eventSpec<St, Ev['PromotionWaiverDecided']>({
      schema: S.PromotionWaiverDecided,
      machineEvent: () => ({ type: 'WAIVER_DECIDED' }),
      apply: (s, e) => {
        const { pendingWaiverId: _done, ...rest } = s;
        return {
          ...rest,
          waivedRequirementIds:
            e.payload.outcome === 'granted'
              ? [...new Set([...s.waivedRequirementIds, ...e.payload.requirementIds])]
              : s.waivedRequirementIds,
        };
      },
    }),
    PeerReviewStarted: eventSpec<St, Ev['PeerReviewStarted']>({
      schema: S.PeerReviewStarted,
      machineEvent: () => ({ type: 'BEGIN_REVIEW' }),
    }),
    PeerReviewRecorded: eventSpec<St, Ev['PeerReviewRecorded']>({
      schema: S.PeerReviewRecorded,
      machineEvent: () => ({ type: 'RECORD_PEER_REVIEW' }),
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
    ManagerRecommended: eventSpec<St, Ev['ManagerRecommended']>({
      schema: S.ManagerRecommended,
      machineEvent: () => ({ type: 'RECOMMEND' }),
      apply: (s, e) => ({ ...s, recommendation: { summary: e.payload.summary, ...stamp(e) } }),
    }),
    CalibrationEntered: eventSpec<St, Ev['CalibrationEntered']>({
      schema: S.CalibrationEntered,
      machineEvent: () => ({ type: 'ENTER_CALIBRATION' }),
      apply: (s, e) => ({ ...s, cycleId: e.payload.cycleId }),
    }),
    CalibrationApproved: eventSpec<St, Ev['CalibrationApproved']>({
      schema: S.CalibrationApproved,
      machineEvent: () => ({ type: 'APPROVE' }),
      apply: (s, e) => {
        const decided = s.stage === 'approved';
        const approval: PromotionApproval = { step: 'calibration', decision: 'approved', ...stamp(e) };
        if (e.payload.note !== undefined) approval.note = e.payload.note;
        const next: St = {
          ...s,
          effectiveDate: e.payload.effectiveDate,
          deadlines: { effectiveDate: e.payload.effectiveDate },
          approvals: [...s.approvals, approval],
        };
        if (decided) next.outcome = 'approved';
        return next;
      },
    }),
    CalibrationDenied: eventSpec<St, Ev['CalibrationDenied']>({
      schema: S.CalibrationDenied,
      machineEvent: () => ({ type: 'DENY' }),
      apply: (s, e) => {
        const approval: PromotionApproval = { step: 'calibration', decision: 'denied', ...stamp(e) };
        if (e.payload.note !== undefined) approval.note = e.payload.note;
        return { ...s, outcome: 'denied', approvals: [...s.approvals, approval] };
      },
    }),
    LeadershipApproved: eventSpec<St, Ev['LeadershipApproved']>({
      schema: S.LeadershipApproved,
      machineEvent: () => ({ type: 'LEADERSHIP_APPROVE' }),
      apply: (s, e) => {
        const approval: PromotionApproval = { step: 'leadership', decision: 'approved', ...stamp(e) };
        if (e.payload.note !== undefined) approval.note = e.payload.note;
        return { ...s, outcome: 'approved', approvals: [...s.approvals, approval] };
      },
    }),
    LeadershipDenied: eventSpec<St, Ev['LeadershipDenied']>({
      schema: S.LeadershipDenied,
      machineEvent: () => ({ type: 'LEADERSHIP_DENY' }),
      apply: (s, e) => {
        const approval: PromotionApproval = { step: 'leadership', decision: 'denied', ...stamp(e) };
        if (e.payload.note !== undefined) approval.note = e.payload.note;
        return { ...s, outcome: 'denied', approvals: [...s.approvals, approval] };
      },
    }),
    PromotionBecameEffective: eventSpec<St, Ev['PromotionBecameEffective']>({
      schema: S.PromotionBecameEffective,
      machineEvent: () => ({ type: 'EFFECTIVE_DATE_REACHED' }),
    }),
    PromotionClosed: eventSpec<St, Ev['PromotionClosed']>({
      schema: S.PromotionClosed,
      machineEvent: () => ({ type: 'CLOSE' }),
      apply: (s, e) => ({ ...s, closedAt: e.meta.occurredAt }),
    }),
    PromotionWithdrawn: eventSpec<St, Ev['PromotionWithdrawn']>({
      schema: S.PromotionWithdrawn,
      machineEvent: () => ({ type: 'WITHDRAW' }),
      apply: (s, e) => ({ ...s, outcome: 'withdrawn', closedAt: e.meta.occurredAt }),
    }),
  },
});
