// Public surface of @talent/workflows: pure workflow core (machines, aggregates, policy, timers).
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
} from './common/rules.js';
export {
  authorize,
  checkAuthorization,
  POLICY,
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
export * from './aggregates/promotion.js';
