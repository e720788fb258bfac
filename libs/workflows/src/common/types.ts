import { z } from 'zod';

export const ROLES = ['hr', 'manager', 'leadership', 'employee', 'auditor', 'system'] as const;
export type Role = (typeof ROLES)[number];

export const actorSchema = z.object({
  userId: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
  team: z.string().min(1).optional(),
});
export type Actor = z.infer<typeof actorSchema>;

/**
 * Relationships of a case, given as data by the caller (from read models).
 * `team` is the organisation a case belongs to when it has no single employee (role openings).
 */
export interface CaseFacts {
  employeeId?: string;
  employeeManagerId?: string;
  employeeTeam?: string;
  receivingTeam?: string;
  requesterId?: string;
  team?: string;
}

export const CASE_TYPES = [
  'reviewCycle',
  'promotion',
  'designation',
  'opening',
  'transfer',
  'waiver',
] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_LABELS: Record<CaseType, string> = {
  reviewCycle: 'review cycle',
  promotion: 'promotion case',
  designation: 'team-lead designation',
  opening: 'role opening',
  transfer: 'cross-team transfer',
  waiver: 'requirement waiver',
};

/**
 * Minimal structural view of an eligibility verdict (the shape @talent/career-framework's
 * EligibilityResult produces; this lib does not import it). Status per requirement: met / unmet / waived.
 */
export interface RequirementVerdict {
  requirementId: string;
  kind?: string;
  label?: string;
  status: 'met' | 'unmet' | 'waived';
  missing?: string;
}
export interface EligibilityVerdict {
  targetRoleId?: string;
  asOf?: string;
  eligible?: boolean;
  /** reasons the move is impossible regardless of requirements */
  blockers?: readonly string[];
  requirements: readonly RequirementVerdict[];
}

export const requirementVerdictSchema = z.looseObject({
  requirementId: z.string().min(1),
  kind: z.string().optional(),
  label: z.string().optional(),
  status: z.enum(['met', 'unmet', 'waived']),
  missing: z.string().optional(),
});
export const eligibilityVerdictSchema = z.looseObject({
  targetRoleId: z.string().optional(),
  asOf: z.string().optional(),
  eligible: z.boolean().optional(),
  blockers: z.array(z.string()).optional(),
  requirements: z.array(requirementVerdictSchema),
});

/** A framework version as the framework lib numbers it (a number) or a label. */
export const frameworkVersionSchema = z.union([z.number().int().nonnegative(), z.string().min(1)]);
export type FrameworkVersion = z.infer<typeof frameworkVersionSchema>;

export interface GrantedWaiver {
  waiverId: string;
  requirementIds: readonly string[];
}

/** Facts about other aggregates a command depends on, given as data by the handler. */
export interface OpeningFact {
  openingId: string;
  stage: string;
  targetRoleId?: string;
  team?: string;
}
export interface CycleFact {
  cycleId: string;
  stage: string;
}

export interface DecideContext {
  actor: Actor;
  /** ISO-8601 instant of the command ("now"); never read from a clock inside the core */
  now: string;
  facts: CaseFacts;
  /** the request that caused the command (correlation) */
  requestId?: string;
  /** optional why */
  reason?: string;
  /** current eligibility verdict for the case's employee and target role, if relevant */
  eligibility?: EligibilityVerdict;
  /** waivers already granted to the employee for this target (count as met) */
  grantedWaivers?: readonly GrantedWaiver[];
  /** the role opening referenced by the command/case, if any */
  opening?: OpeningFact;
  /** the review cycle referenced by the command/case, if any */
  cycle?: CycleFact;
}

export interface EventMeta {
  actorId: string;
  /** role under which the actor was authorized for this action */
  actorRole: Role;
  occurredAt: string;
  reason?: string;
  requestId?: string;
}

export interface DomainEvent<TType extends string = string, TPayload = unknown> {
  type: TType;
  schemaVersion: 1;
  caseType: CaseType;
  caseId: string;
  payload: TPayload;
  meta: EventMeta;
}

export interface Command<TType extends string = string, TPayload = unknown> {
  type: TType;
  caseId: string;
  payload: TPayload;
}

/** Who did something and when (approvals, requests). */
export interface Stamp {
  by: string;
  role: Role;
  at: string;
}

export interface CaseStateBase {
  caseId: string;
  caseType: CaseType;
  machineVersion: string;
  stage: string;
  machineContext: Record<string, unknown>;
  /** number of events folded (stream version) */
  version: number;
  createdAt: string;
  updatedAt: string;
  stageEnteredAt: string;
  stageEnteredVersion: number;
}

export const isoInstant = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date();
export const id = z.string().min(1).max(200);
