// Public surface of @talent/workflows: the pure workflow core (machines, aggregates, policy, timers).
export * from './errors.js';
export * from './common/types.js';
export {
  defineAggregate,
  EventReplayError,
  parsePayload,
  stagesAccepting,
  type Aggregate,
  type MachineEvent,
  type NewEvent,
} from './common/kit.js';
export {
  OPENING_OPEN_STAGES,
  CYCLE_DECIDING_STAGES,
  unmetRequirements,
  isPeerReviewRequirement,
  timerPayload,
} from './common/rules.js';
export {
  authorize,
  checkAuthorization,
  POLICY,
  refusedUser,
  type ActionPolicy,
  type AuthorizationResult,
  type Constraint,
  type Grant,
} from './authorization.js';
export {
  getMachine,
  listMachines,
  CURRENT_MACHINE_VERSION,
  type RegisteredMachine,
} from './machines/registry.js';
export { reviewCycleMachineV1, type ReviewCycleMachineEvent } from './machines/review-cycle.machine.js';
export { promotionMachineV1, type PromotionMachineEvent } from './machines/promotion.machine.js';
export { designationMachineV1, type DesignationMachineEvent } from './machines/designation.machine.js';
export { openingMachineV1, type OpeningMachineEvent } from './machines/opening.machine.js';
export { transferMachineV1, type TransferMachineEvent } from './machines/transfer.machine.js';
export { waiverMachineV1, type WaiverMachineEvent } from './machines/waiver.machine.js';
export * from './aggregates/promotion.js';
export * from './aggregates/review-cycle.js';
export * from './aggregates/designation.js';
export * from './aggregates/opening.js';
export * from './aggregates/transfer.js';
export * from './aggregates/waiver.js';
export { DEADLINE_POLICY } from './deadline-policy.js';
export {
  AGGREGATES,
  getAggregate,
  availableActions,
  type CaseState,
  type CaseStateByType,
} from './registry.js';
export {
  TIMER_PLANS,
  plannedTimers,
  timersFor,
  timersToCancel,
  timerChanges,
  timerId,
  type PlannedTimer,
} from './timers.js';
export {
  toStoreEvent,
  fromStoredEvent,
  caseReducer,
  type StoreEventShape,
  type StoredEventLike,
} from './envelope.js';
