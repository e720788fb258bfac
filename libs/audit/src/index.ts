// Public surface of the audit queries: plain SQL over the event log, no Nest.
import { AuditStreamSubjects1764100000000 } from './persistence/migrations/1764100000000-audit-stream-subjects.js';
import { StreamSubjectRecord } from './persistence/entities.js';

/** Migrations creating the audit read model's tables (consumed by `@talent/database`). */
export const auditMigrations: Array<new () => unknown> = [AuditStreamSubjects1764100000000];
/** Persistence models of those tables (consumed by `@talent/database`). */
export const auditEntities: Array<new () => unknown> = [StreamSubjectRecord];

export { AuditError, InvalidCursorError, InvalidFilterError } from './errors.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Instant, type Period } from './filters.js';
export type { AuditEvent, Page } from './rows.js';
export {
  caseHistory,
  employeeTimeline,
  actorActivity,
  approvals,
  waiversGranted,
  streamEventsAsOf,
  employeeStreamId,
  CASE_STREAM_TYPES,
  EMPLOYEE_STREAM_TYPE,
  DEFAULT_APPROVAL_VOCABULARY,
  WAIVER_GRANTED,
  WAIVER_STREAM_TYPE,
  type AuditDb,
  type CaseHistoryOptions,
  type EmployeeTimelineOptions,
  type ActorActivityOptions,
  type ApprovalsOptions,
  type ApprovalVocabulary,
  type Approval,
  type WaiversGrantedOptions,
  type WaiversGrantedPage,
  type WaiverGrant,
  type RequirementWaiverCount,
  type AsOfOptions,
} from './queries.js';
export {
  exportRows,
  csvField,
  EXPORT_COLUMNS,
  type ExportQuery,
  type ExportFormat,
  type ExportOptions,
  type ExportRow,
} from './export.js';
export {
  verifyExport,
  type ExportVerification,
  type VerificationProblem,
  type VerificationProblemKind,
  type VerifyExportOptions,
} from './verify.js';
export {
  recordStreamSubjects,
  recordCaseSubjects,
  employeesNamedBy,
  rebuildStreamSubjects,
  streamSubjectsProjection,
  type StreamSubjectsProjectionOptions,
} from './subjects.js';
