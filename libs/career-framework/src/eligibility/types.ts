import type { FrameworkDocument, RequirementKind } from '../framework/schema.js';
import type { EmployeeRecord } from '../employee/record.js';
import type { IsoDate, QuarterId } from '../time/dates.js';

/** An approved documented need for a role (a role opening), as the workflows know it. */
export interface RoleOpening {
  openingId: string;
  roleId: string;
  /** When set, only members of this team meet the documented need through it. */
  team?: string;
  approvedAt: IsoDate;
  status: 'draft' | 'submitted' | 'open' | 'closed' | 'filled' | 'cancelled' | 'expired';
}

/** A waiver leadership granted for named requirements of a target role. */
export interface GrantedWaiver {
  waiverId: string;
  requirementIds: string[];
  roleId: string;
  grantedBy: string;
  grantedAt: IsoDate;
}

export interface EligibilityInput {
  framework: FrameworkDocument;
  employee: EmployeeRecord;
  /** A role (level) id or a designation id of the framework. */
  targetRoleId: string;
  asOf: IsoDate;
  openings?: ReadonlyArray<RoleOpening>;
  waivers?: ReadonlyArray<GrantedWaiver>;
}

export type RequirementStatus = 'met' | 'unmet' | 'waived';

export interface Evidence {
  /** One line a person can read. */
  summary: string;
  since?: IsoDate;
  months?: number;
  /** The date the requirement is met if nothing else changes (time-based requirements). */
  dueOn?: IsoDate;
  quarters?: QuarterId[];
  skillsets?: string[];
  openingId?: string;
  peerReview?: { targetRoleId: string; outcome: 'passed' | 'failed'; date: IsoDate };
  waiver?: { waiverId: string; grantedBy: string; grantedAt: IsoDate };
  /** Why a matching waiver was not applied. */
  ignoredWaivers?: Array<{ waiverId: string; reason: string }>;
  notApplicable?: boolean;
  records?: Array<{ description: string; effectiveDate: IsoDate; months?: number }>;
}

export interface RequirementResult {
  requirementId: string;
  kind: RequirementKind;
  /** The requirement in words, e.g. "1 year at Level 1". */
  label: string;
  status: RequirementStatus;
  evidence: Evidence;
  /** What is missing, for unmet requirements ("2 more consecutive high quarters"). */
  missing?: string;
  children?: RequirementResult[];
}

export interface EligibilityResult {
  frameworkId: string;
  frameworkVersion: number;
  employeeId: string;
  asOf: IsoDate;
  targetRoleId: string;
  targetTitle: string;
  targetKind: 'role' | 'designation';
  currentRoleId?: string;
  /** True when every requirement is met or waived and nothing blocks the move. */
  eligible: boolean;
  /** Reasons the move is impossible regardless of requirements (e.g. already in that role). */
  blockers: string[];
  requirements: RequirementResult[];
}
