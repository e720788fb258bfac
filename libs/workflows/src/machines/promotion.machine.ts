import { setup } from 'xstate';

export interface PromotionMachineContext {
  /** management-path targets need a leadership approval step after calibration */
  requiresLeadershipApproval: boolean;
}
export interface PromotionMachineInput {
  requiresLeadershipApproval: boolean;
}

export type PromotionMachineEvent =
  | { type: 'CHECK_ELIGIBILITY' }
  | { type: 'WAIVER_REQUESTED' }
  | { type: 'WAIVER_DECIDED' }
  | { type: 'BEGIN_REVIEW' }
  | { type: 'RECORD_PEER_REVIEW' }
  | { type: 'RECOMMEND' }
  | { type: 'ENTER_CALIBRATION' }
  | { type: 'APPROVE' }
  | { type: 'DENY' }
  | { type: 'LEADERSHIP_APPROVE' }
  | { type: 'LEADERSHIP_DENY' }
  | { type: 'EFFECTIVE_DATE_REACHED' }
  | { type: 'CLOSE' }
  | { type: 'WITHDRAW' };

/**
 * Promotion case: requested -> eligibilityChecked -> [waiverPending] -> evidenceAndPeerReview
 * -> managerRecommended -> inCalibration -> [leadershipApproval, management path] -> approved | denied
 * -> effective -> closed; withdrawn from any stage before a decision.
 */
export const promotionMachineV1 = setup({
  types: {
    context: {} as PromotionMachineContext,
    input: {} as PromotionMachineInput,
    events: {} as PromotionMachineEvent,
  },
  guards: {
    needsLeadership: ({ context }) => context.requiresLeadershipApproval,
  },
}).createMachine({
  id: 'promotion',
  version: 'promotion@1',
  context: ({ input }) => ({ requiresLeadershipApproval: input.requiresLeadershipApproval }),
  initial: 'requested',
  states: {
    requested: {
      on: { CHECK_ELIGIBILITY: 'eligibilityChecked', WITHDRAW: 'withdrawn' },
    },
    eligibilityChecked: {
      on: {
        CHECK_ELIGIBILITY: 'eligibilityChecked',
        WAIVER_REQUESTED: 'waiverPending',
        BEGIN_REVIEW: 'evidenceAndPeerReview',
        WITHDRAW: 'withdrawn',
      },
    },
    waiverPending: {
      // granted or denied, the case goes back to eligibilityChecked where beginReview re-checks
      on: { WAIVER_DECIDED: 'eligibilityChecked', WITHDRAW: 'withdrawn' },
    },
    evidenceAndPeerReview: {
      on: {
        RECORD_PEER_REVIEW: 'evidenceAndPeerReview',
        RECOMMEND: 'managerRecommended',
        WITHDRAW: 'withdrawn',
      },
    },
    managerRecommended: {
      on: { ENTER_CALIBRATION: 'inCalibration', WITHDRAW: 'withdrawn' },
    },
    inCalibration: {
      on: {
        APPROVE: [{ guard: 'needsLeadership', target: 'leadershipApproval' }, { target: 'approved' }],
        DENY: 'denied',
        WITHDRAW: 'withdrawn',
      },
    },
    leadershipApproval: {
      on: { LEADERSHIP_APPROVE: 'approved', LEADERSHIP_DENY: 'denied', WITHDRAW: 'withdrawn' },
    },
    approved: { on: { EFFECTIVE_DATE_REACHED: 'effective' } },
    denied: { on: { CLOSE: 'closed' } },
    effective: { on: { CLOSE: 'closed' } },
    closed: { type: 'final' },
    withdrawn: { type: 'final' },
  },
});
