import { z } from 'zod';
import { isIanaZone } from '../time/dates.js';

const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected an id (letters, digits, ".", "_", "-")');
const text = z.string().min(1, 'expected a non-empty string');
const positiveInt = z.number().int().positive();
const months = z.number().int('expected a positive integer').positive('expected a positive integer');
const count = z.number().int('expected a positive integer').positive('expected a positive integer');

export const RATINGS = ['below', 'meets', 'high', 'at-next-level'] as const;
export const ratingSchema = z.enum(RATINGS);
export type Rating = z.infer<typeof ratingSchema>;

export const TRACK_KINDS = ['core', 'ic', 'management', 'alternative'] as const;
export const trackKindSchema = z.enum(TRACK_KINDS);
export type TrackKind = z.infer<typeof trackKindSchema>;

/** Restricts a requirement to candidates coming from given track kinds (seed 002: "If coming in from IC path"). */
const appliesWhenSchema = z.object({ fromTrackKinds: z.array(trackKindSchema).min(1) }).strict();

const requirementBase = {
  id,
  description: text.optional(),
  appliesWhen: appliesWhenSchema.optional(),
};

const minTimeAtLevelSchema = z
  .object({
    ...requirementBase,
    kind: z.literal('minTimeAtLevel'),
    months,
    /**
     * The level (rank) the time must be spent at ("1 year at Level 1"); defaults to the
     * candidate's current rank. A candidate already above that rank has served it.
     */
    atRank: positiveInt.optional(),
  })
  .strict();
const minTenureOnTeamSchema = z
  .object({ ...requirementBase, kind: z.literal('minTenureOnTeam'), months })
  .strict();
const consecutiveHighQuartersSchema = z
  .object({
    ...requirementBase,
    kind: z.literal('consecutiveHighQuarters'),
    count,
    competencies: z.array(id).min(1),
  })
  .strict();
const quartersAtNextLevelSchema = z
  .object({
    ...requirementBase,
    kind: z.literal('quartersAtNextLevel'),
    count,
    competencies: z.array(id).min(1),
  })
  .strict();
const smeSkillsetsSchema = z
  .object({
    ...requirementBase,
    kind: z.literal('smeSkillsets'),
    count,
    from: z.array(id).min(1).optional(),
  })
  .strict();
const peerReviewSchema = z.object({ ...requirementBase, kind: z.literal('peerReview') }).strict();
const documentedNeedSchema = z.object({ ...requirementBase, kind: z.literal('documentedNeed') }).strict();
const coachingEvidenceSchema = z.object({ ...requirementBase, kind: z.literal('coachingEvidence') }).strict();
const peopleManagementExperienceSchema = z
  .object({
    ...requirementBase,
    kind: z.literal('peopleManagementExperience'),
    minMonths: months.optional(),
  })
  .strict();

export type MinTimeAtLevel = z.infer<typeof minTimeAtLevelSchema>;
export type MinTenureOnTeam = z.infer<typeof minTenureOnTeamSchema>;
export type ConsecutiveHighQuarters = z.infer<typeof consecutiveHighQuartersSchema>;
export type QuartersAtNextLevel = z.infer<typeof quartersAtNextLevelSchema>;
export type SmeSkillsets = z.infer<typeof smeSkillsetsSchema>;
export type PeerReviewRequirement = z.infer<typeof peerReviewSchema>;
export type DocumentedNeed = z.infer<typeof documentedNeedSchema>;
export type CoachingEvidence = z.infer<typeof coachingEvidenceSchema>;
export type PeopleManagementExperience = z.infer<typeof peopleManagementExperienceSchema>;
export type AllOf = {
  id: string;
  kind: 'allOf';
  description?: string;
  appliesWhen?: { fromTrackKinds: TrackKind[] };
  children: Requirement[];
};
export type AnyOf = Omit<AllOf, 'kind'> & { kind: 'anyOf' };

export type Requirement =
  | MinTimeAtLevel
  | MinTenureOnTeam
  | ConsecutiveHighQuarters
  | QuartersAtNextLevel
  | SmeSkillsets
  | PeerReviewRequirement
  | DocumentedNeed
  | CoachingEvidence
  | PeopleManagementExperience
  | AllOf
  | AnyOf;

export type RequirementKind = Requirement['kind'];
export const REQUIREMENT_KINDS = [
  'minTimeAtLevel',
  'minTenureOnTeam',
  'consecutiveHighQuarters',
  'quartersAtNextLevel',
  'smeSkillsets',
  'peerReview',
  'documentedNeed',
  'coachingEvidence',
  'peopleManagementExperience',
  'allOf',
  'anyOf',
] as const satisfies readonly RequirementKind[];

export const requirementSchema: z.ZodType<Requirement> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    minTimeAtLevelSchema,
    minTenureOnTeamSchema,
    consecutiveHighQuartersSchema,
    quartersAtNextLevelSchema,
    smeSkillsetsSchema,
    peerReviewSchema,
    documentedNeedSchema,
    coachingEvidenceSchema,
    peopleManagementExperienceSchema,
    z
      .object({ ...requirementBase, kind: z.literal('allOf'), children: z.array(requirementSchema).min(1) })
      .strict(),
    z
      .object({ ...requirementBase, kind: z.literal('anyOf'), children: z.array(requirementSchema).min(1) })
      .strict(),
  ]),
);

/** What a role expects for one competency (optionally one responsibility area of it) or one value. */
export const expectationSchema = z
  .object({
    competency: id.optional(),
    area: id.optional(),
    value: id.optional(),
    summary: text.optional(),
    behaviours: z.array(text),
  })
  .strict()
  .refine((e) => (e.competency === undefined) !== (e.value === undefined), {
    message: 'expected exactly one of competency or value',
  })
  .refine((e) => e.area === undefined || e.competency !== undefined, {
    message: 'an area belongs to a competency',
    path: ['area'],
  });
export type Expectation = z.infer<typeof expectationSchema>;

export const roleSchema = z
  .object({
    id,
    rank: positiveInt,
    title: text,
    summary: text.optional(),
    /** Duties of the role (seed 002's "Responsibilities" column). */
    responsibilities: z.array(text).default([]),
    /** Skills expected on entry (seed 002's core-role requirements), not promotion requirements. */
    qualifications: z.array(text).default([]),
    /** The seed's own wording of the requirements, kept for people; `requirements` is what the engine runs. */
    requirementsText: z.array(text).default([]),
    expectations: z.array(expectationSchema).default([]),
    requirements: z.array(requirementSchema).default([]),
    /** True when moving into this role needs final leadership approval (management path). */
    needsLeadershipApproval: z.boolean().default(false),
  })
  .strict();
export type Role = z.infer<typeof roleSchema>;

export const trackSchema = z
  .object({
    id,
    kind: trackKindSchema,
    name: text,
    description: text.optional(),
    levels: z.array(roleSchema).min(1),
  })
  .strict();
export type Track = z.infer<typeof trackSchema>;

export const competencySchema = z
  .object({
    id,
    name: text,
    description: text.optional(),
    /** Core competencies are the ones promotion rules rate quarter by quarter. */
    core: z.boolean().default(true),
    responsibilityAreas: z
      .array(z.object({ id, name: text, description: text.optional() }).strict())
      .default([]),
  })
  .strict();
export type Competency = z.infer<typeof competencySchema>;

export const valueSchema = z.object({ id, name: text, description: text.optional() }).strict();
export type Value = z.infer<typeof valueSchema>;

export const skillsetSchema = z
  .object({ id, name: text, core: z.boolean().default(true), description: text.optional() })
  .strict();
export type Skillset = z.infer<typeof skillsetSchema>;

export const designationSchema = z
  .object({
    id,
    name: text,
    description: text.optional(),
    responsibilities: z.array(text).default([]),
    /** Roles that may hold the designation; empty means any role. */
    eligibleRoleIds: z.array(id).default([]),
    requirements: z.array(requirementSchema).default([]),
    needsLeadershipApproval: z.boolean().default(true),
  })
  .strict();
export type Designation = z.infer<typeof designationSchema>;

export const managementEquivalentSchema = z
  .object({
    roleId: id,
    /** Title of the management role at the same seniority (seed 004: "Manager", "Senior Manager"). */
    equivalentTitle: text.nullable(),
    /** The management role in this framework, when it has one. */
    equivalentRoleId: id.optional(),
  })
  .strict();
export type ManagementEquivalent = z.infer<typeof managementEquivalentSchema>;

export const transferPolicySchema = z
  .object({
    minTenureOnTeamMonths: months,
    needsReceivingLeadershipApproval: z.boolean(),
    description: text.optional(),
  })
  .strict();
export type TransferPolicy = z.infer<typeof transferPolicySchema>;

export const waiverPolicySchema = z
  .object({
    /** Actor roles that may grant a waiver. */
    grantedBy: z.array(z.enum(['hr', 'manager', 'leadership'])).min(1),
    waivableKinds: z.array(z.enum(REQUIREMENT_KINDS)).min(1),
    urgentNeedRequired: z.boolean(),
    description: text.optional(),
  })
  .strict();
export type WaiverPolicy = z.infer<typeof waiverPolicySchema>;

export const reviewCadenceSchema = z
  .object({
    kind: z.enum(['annual', 'bi-annual', 'quarterly']),
    /** Months (1-12) in which the review cycle opens. */
    months: z.array(z.number().int().min(1).max(12)).min(1),
    day: z.number().int().min(1).max(28),
    time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:mm')
      .default('09:00'),
    timeZone: z.string().refine(isIanaZone, { message: 'expected an IANA time zone' }),
    /** Promotions are decided only inside a review cycle (seed 001/003). */
    promotionsOnlyInCycle: z.boolean(),
  })
  .strict()
  .refine((c) => c.months.length === { annual: 1, 'bi-annual': 2, quarterly: 4 }[c.kind], {
    message: 'expected 1 month for annual, 2 for bi-annual, 4 for quarterly',
    path: ['months'],
  });
export type ReviewCadence = z.infer<typeof reviewCadenceSchema>;

export const frameworkSchema = z
  .object({
    id,
    name: text,
    version: z.number().int('expected a positive integer').positive('expected a positive integer'),
    description: text.optional(),
    sources: z.array(text).default([]),
    ratingScale: z
      .array(z.object({ id: ratingSchema, label: text, description: text.optional() }).strict())
      .length(4),
    competencies: z.array(competencySchema).default([]),
    values: z.array(valueSchema).default([]),
    skillsets: z.array(skillsetSchema).default([]),
    tracks: z.array(trackSchema).min(1),
    designations: z.array(designationSchema).default([]),
    managementEquivalents: z.array(managementEquivalentSchema).default([]),
    transferPolicy: transferPolicySchema.optional(),
    waiverPolicy: waiverPolicySchema.optional(),
    reviewCadence: reviewCadenceSchema,
  })
  .strict();

export type FrameworkDocument = z.infer<typeof frameworkSchema>;
/** The raw shape before defaults (what a YAML author writes). */
export type FrameworkDocumentInput = z.input<typeof frameworkSchema>;
