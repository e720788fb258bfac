import { promotion, type PromotionState } from './aggregates/promotion.js';
import { reviewCycle, type ReviewCycleState } from './aggregates/review-cycle.js';
import { designation, type DesignationState } from './aggregates/designation.js';
import { opening, type OpeningState } from './aggregates/opening.js';
import { transfer, type TransferState } from './aggregates/transfer.js';
import { waiver, type WaiverState } from './aggregates/waiver.js';
import type { Aggregate } from './common/kit.js';
import type { Actor, CaseFacts, CaseType } from './common/types.js';

export interface CaseStateByType {
  reviewCycle: ReviewCycleState;
  promotion: PromotionState;
  designation: DesignationState;
  opening: OpeningState;
  transfer: TransferState;
  waiver: WaiverState;
}
export type CaseState = CaseStateByType[CaseType];

export const AGGREGATES: { [K in CaseType]: Aggregate<CaseStateByType[K]> } = {
  reviewCycle,
  promotion,
  designation,
  opening,
  transfer,
  waiver,
};

export function getAggregate<K extends CaseType>(caseType: K): Aggregate<CaseStateByType[K]> {
  return AGGREGATES[caseType];
}

/** The action names the caller may take now on a case (for `GET /cases/{id}`). */
export function availableActions(state: CaseState, actor: Actor, facts: CaseFacts): string[] {
  // each branch narrows the state to its own aggregate
  switch (state.caseType) {
    case 'reviewCycle':
      return reviewCycle.availableActions(state, actor, facts);
    case 'promotion':
      return promotion.availableActions(state, actor, facts);
    case 'designation':
      return designation.availableActions(state, actor, facts);
    case 'opening':
      return opening.availableActions(state, actor, facts);
    case 'transfer':
      return transfer.availableActions(state, actor, facts);
    case 'waiver':
      return waiver.availableActions(state, actor, facts);
  }
}
