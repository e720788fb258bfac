import { z } from 'zod';
import { ratingSchema } from '../framework/schema.js';
import { isIsoDate, isQuarterId } from '../time/dates.js';
import type { Result } from '../issues.js';
import { fromZodIssues } from '../issues.js';

export const isoDateSchema = z.string().refine(isIsoDate, { message: 'expected an ISO date YYYY-MM-DD' });
const nonEmpty = z.string().trim().min(1, 'expected a non-empty string');

const base = { employeeId: nonEmpty, effectiveDate: isoDateSchema };

export const employeeHiredSchema = z
  .object({
    ...base,
    name: nonEmpty,
    email: z.email('expected an e-mail address'),
    team: nonEmpty,
    managerId: nonEmpty.optional(),
    frameworkId: nonEmpty,
    /** Track id in the framework (e.g. `ic`, `management`). */
    track: nonEmpty,
    roleId: nonEmpty,
  })
  .strict();
export const levelChangedSchema = z
  .object({ ...base, roleId: nonEmpty, track: nonEmpty.optional(), reason: z.string().optional() })
  .strict();
export const teamChangedSchema = z
  .object({ ...base, team: nonEmpty, managerId: nonEmpty.optional() })
  .strict();
export const managerChangedSchema = z.object({ ...base, managerId: nonEmpty }).strict();
export const trackChangedSchema = z.object({ ...base, track: nonEmpty, roleId: nonEmpty }).strict();
export const quarterlyRatingRecordedSchema = z
  .object({
    ...base,
    quarter: z.string().refine(isQuarterId, { message: 'expected a quarter like 2025-Q3' }),
    ratings: z
      .record(nonEmpty, ratingSchema)
      .refine((r) => Object.keys(r).length > 0, { message: 'expected at least one competency rating' }),
  })
  .strict();
export const smeSkillsetCertifiedSchema = z.object({ ...base, skillset: nonEmpty }).strict();
export const coachingEvidenceRecordedSchema = z.object({ ...base, description: nonEmpty }).strict();
export const peopleManagementExperienceRecordedSchema = z
  .object({ ...base, description: nonEmpty, months: z.number().int().positive().optional() })
  .strict();
export const peerReviewRecordedSchema = z
  .object({ ...base, targetRoleId: nonEmpty, outcome: z.enum(['passed', 'failed']), date: isoDateSchema })
  .strict();
export const designationGrantedSchema = z.object({ ...base, designation: nonEmpty, team: nonEmpty }).strict();
export const designationEndedSchema = z.object({ ...base, designation: nonEmpty, team: nonEmpty }).strict();

export const employeeFactSchemas = {
  EmployeeHired: employeeHiredSchema,
  LevelChanged: levelChangedSchema,
  TeamChanged: teamChangedSchema,
  ManagerChanged: managerChangedSchema,
  TrackChanged: trackChangedSchema,
  QuarterlyRatingRecorded: quarterlyRatingRecordedSchema,
  SmeSkillsetCertified: smeSkillsetCertifiedSchema,
  CoachingEvidenceRecorded: coachingEvidenceRecordedSchema,
  PeopleManagementExperienceRecorded: peopleManagementExperienceRecordedSchema,
  PeerReviewRecorded: peerReviewRecordedSchema,
  DesignationGranted: designationGrantedSchema,
  DesignationEnded: designationEndedSchema,
} as const;

export type EmployeeFactType = keyof typeof employeeFactSchemas;
export const EMPLOYEE_FACT_TYPES = Object.keys(employeeFactSchemas) as EmployeeFactType[];

export type EmployeeFactData<K extends EmployeeFactType = EmployeeFactType> = z.infer<
  (typeof employeeFactSchemas)[K]
>;

/** One fact about an employee as stored in the employee's stream (`data` carries `effectiveDate`). */
export type EmployeeFactEvent = {
  [K in EmployeeFactType]: { type: K; data: EmployeeFactData<K>; recordedAt?: string };
}[EmployeeFactType];

export function isEmployeeFactType(type: string): type is EmployeeFactType {
  return Object.prototype.hasOwnProperty.call(employeeFactSchemas, type);
}

/** Validates an untrusted `{ type, data }` into a typed employee fact event. */
export function parseEmployeeFact(type: string, data: unknown): Result<EmployeeFactEvent> {
  if (!isEmployeeFactType(type)) {
    return {
      ok: false,
      errors: [
        {
          path: 'type',
          message: `unknown fact type "${type}"; expected one of ${EMPLOYEE_FACT_TYPES.join(', ')}`,
        },
      ],
    };
  }
  const parsed = employeeFactSchemas[type].safeParse(data);
  if (!parsed.success) return { ok: false, errors: fromZodIssues(parsed.error.issues, ['data']) };
  return { ok: true, value: { type, data: parsed.data } as EmployeeFactEvent };
}
