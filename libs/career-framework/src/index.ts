export type { Issue, Result } from './issues.js';
export { formatPath, issueToString } from './issues.js';
export {
  CareerFrameworkError,
  EmployeeStreamError,
  FrameworkCatalogError,
  InvalidDateError,
  InvalidFactError,
  InvalidFrameworkError,
  UnknownRoleError,
} from './errors.js';

export * from './framework/schema.js';
export { parseFramework, semanticIssues } from './framework/parse.js';
export type { RoleInTrack } from './framework/lookup.js';
export { allRoles, findDesignation, findRole, getRole, titleOf } from './framework/lookup.js';
export type {
  CatalogEntry,
  FrameworkCatalog,
  FrameworkCatalogEvent,
  FrameworkPublished,
  PublishedVersion,
} from './framework/catalog.js';
export {
  catalogEntry,
  currentFramework,
  emptyCatalog,
  evolveFrameworkCatalog,
  foldFrameworkCatalog,
  frameworkPublishedSchema,
  frameworkVersion,
  publishFramework,
} from './framework/catalog.js';

export type { EmployeeFactData, EmployeeFactEvent, EmployeeFactType } from './employee/events.js';
export {
  EMPLOYEE_FACT_TYPES,
  employeeFactSchemas,
  isEmployeeFactType,
  isoDateSchema,
  parseEmployeeFact,
} from './employee/events.js';
export type {
  DatedFact,
  DatedNote,
  EmployeeRecord,
  EmployeeSnapshot,
  HeldDesignation,
  PeerReview,
  QuarterRating,
  RoleSpell,
} from './employee/record.js';
export { employeeAsOf, foldEmployeeFacts } from './employee/record.js';
export type { CsvError, CsvFactRow, CsvParseResult } from './employee/csv.js';
export { parseFactsCsv } from './employee/csv.js';

export type {
  EligibilityInput,
  EligibilityResult,
  Evidence,
  GrantedWaiver,
  RequirementResult,
  RequirementStatus,
  RoleOpening,
} from './eligibility/types.js';
export { eligibility } from './eligibility/eligibility.js';
export type { MoveKind, NextRole, NextRolesInput, TransferEligibility } from './eligibility/next-roles.js';
export { nextRoles, transferEligibility } from './eligibility/next-roles.js';

export type { IsoDate, QuarterId } from './time/dates.js';
export {
  addMonths,
  isIanaZone,
  isIsoDate,
  isQuarterId,
  latestCompletedQuarter,
  previousQuarter,
  quarterEnd,
  quarterOf,
  quarterStart,
  wholeMonthsBetween,
} from './time/dates.js';
export { reviewCycleOpenings } from './framework/cadence.js';
export type { WaiverRequestCheck } from './framework/waivers.js';
export { checkWaiverRequest, findRequirement, requirementsOf } from './framework/waivers.js';
export { checkFactAgainstFramework } from './employee/consistency.js';
