import { ForbiddenError } from '@talent/workflows';
import type { EmployeeDirectoryEntry } from '@talent/read-models';
import type { ActorRef } from '../write-context.js';

/**
 * Who may read an employee's record: HR, auditors and leadership of the employee's team read it;
 * a manager reads their reports; everyone reads their own.
 */
export function assertCanReadEmployee(actor: ActorRef, employee: EmployeeDirectoryEntry): void {
  if (actor.roles.includes('hr') || actor.roles.includes('auditor') || actor.roles.includes('system')) return;
  if (actor.userId === employee.employeeId) return;
  if (actor.roles.includes('manager') && employee.managerId === actor.userId) return;
  if (actor.roles.includes('leadership') && actor.team !== null && actor.team === employee.team) return;
  throw new ForbiddenError(
    `you may not read employee '${employee.employeeId}': only HR, auditors, their manager, their team's leadership and the employee may`,
  );
}

/** Fact types a manager may record for their own reports; HR and the system record every type. */
export const MANAGER_RECORDABLE_FACTS = new Set([
  'QuarterlyRatingRecorded',
  'PeerReviewRecorded',
  'CoachingEvidenceRecorded',
]);
