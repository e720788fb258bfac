import type { FrameworkDocument, TrackKind } from '../framework/schema.js';
import { allRoles, findRole } from '../framework/lookup.js';
import type { EmployeeRecord } from '../employee/record.js';
import { employeeAsOf } from '../employee/record.js';
import type { IsoDate } from '../time/dates.js';
import { addMonths, isIsoDate, wholeMonthsBetween } from '../time/dates.js';
import { InvalidDateError } from '../errors.js';
import { eligibility } from './eligibility.js';
import type { EligibilityResult, GrantedWaiver, RoleOpening } from './types.js';

export type MoveKind = 'promotion' | 'cross-path' | 'designation';

export interface NextRole {
  roleId: string;
  title: string;
  kind: MoveKind;
  /** True when the move leaves the employee's current track (e.g. IC -> management). */
  changesTrack: boolean;
  trackId?: string;
  trackKind?: TrackKind;
  rank?: number;
  result: EligibilityResult;
}

export interface NextRolesInput {
  framework: FrameworkDocument;
  employee: EmployeeRecord;
  asOf: IsoDate;
  openings?: ReadonlyArray<RoleOpening>;
  waivers?: ReadonlyArray<GrantedWaiver>;
}

/**
 * Every role the employee could move to next, each with its eligibility verdict:
 * the next rank on their own track ("promotion"; from the core role, the next level on every
 * path); roles on other non-core tracks at the same or the next rank ("cross-path", e.g.
 * Senior Engineer -> Team Lead or Manager); and the designations open to their current role
 * that they do not hold (designations last). Roles ordered by rank, then id.
 */
export function nextRoles(input: NextRolesInput): NextRole[] {
  const { framework: fw, asOf } = input;
  if (!isIsoDate(asOf)) throw new InvalidDateError(asOf);
  const employee = employeeAsOf(input.employee, asOf);
  if (!employee) return [];
  const current = findRole(fw, employee.roleId);
  if (!current) return [];
  const rank = current.role.rank;
  const check = (targetRoleId: string): EligibilityResult => eligibility({ ...input, targetRoleId });
  const sameTrackNext = current.track.levels.filter((r) => r.rank > rank).sort((a, b) => a.rank - b.rank)[0];
  const candidates: NextRole[] = [];
  const nextRank = Math.min(
    ...allRoles(fw)
      .map((r) => r.role.rank)
      .filter((r) => r > rank),
  );
  for (const { role, track } of allRoles(fw)) {
    if (role.id === employee.roleId) continue;
    let kind: MoveKind | undefined;
    if (track.id === current.track.id) kind = role.id === sameTrackNext?.id ? 'promotion' : undefined;
    else if (track.kind !== 'core' && current.track.kind === 'core') {
      // the core role leads into every path: its next level on any path is a promotion
      kind = role.rank === nextRank ? 'promotion' : undefined;
    } else if (track.kind !== 'core' && (role.rank === rank || role.rank === rank + 1)) kind = 'cross-path';
    if (!kind) continue;
    candidates.push({
      roleId: role.id,
      title: role.title,
      kind,
      changesTrack: track.id !== current.track.id,
      trackId: track.id,
      trackKind: track.kind,
      rank: role.rank,
      result: check(role.id),
    });
  }
  candidates.sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0) || (a.roleId < b.roleId ? -1 : 1));
  for (const d of fw.designations) {
    if (d.eligibleRoleIds.length > 0 && !d.eligibleRoleIds.includes(employee.roleId)) continue;
    if (employee.designations.some((held) => held.designation === d.id)) continue;
    candidates.push({
      roleId: d.id,
      title: d.name,
      kind: 'designation',
      changesTrack: false,
      result: check(d.id),
    });
  }
  return candidates;
}

export interface TransferEligibility {
  employeeId: string;
  asOf: IsoDate;
  team: string;
  teamSince: IsoDate;
  tenureMonths: number;
  requiredMonths: number;
  /** The first date the tenure part of the policy is met. */
  eligibleOn: IsoDate;
  eligible: boolean;
  needsReceivingLeadershipApproval: boolean;
  missing?: string;
}

/**
 * The tenure part of the framework's transfer policy (seed 002: after two years with the team,
 * pending the receiving team's leadership approval). Undefined before the hire date.
 * A framework without a transfer policy imposes no tenure and needs no approval.
 */
export function transferEligibility(input: {
  framework: FrameworkDocument;
  employee: EmployeeRecord;
  asOf: IsoDate;
}): TransferEligibility | undefined {
  if (!isIsoDate(input.asOf)) throw new InvalidDateError(input.asOf);
  const employee = employeeAsOf(input.employee, input.asOf);
  if (!employee) return undefined;
  const policy = input.framework.transferPolicy;
  const requiredMonths = policy?.minTenureOnTeamMonths ?? 0;
  const tenureMonths = wholeMonthsBetween(employee.teamSince, input.asOf);
  const eligibleOn = addMonths(employee.teamSince, requiredMonths);
  const eligible = tenureMonths >= requiredMonths;
  const missingMonths = requiredMonths - tenureMonths;
  return {
    employeeId: employee.employeeId,
    asOf: input.asOf,
    team: employee.team,
    teamSince: employee.teamSince,
    tenureMonths,
    requiredMonths,
    eligibleOn,
    eligible,
    needsReceivingLeadershipApproval: policy?.needsReceivingLeadershipApproval ?? false,
    ...(eligible
      ? {}
      : {
          missing: `${missingMonths} more month${missingMonths === 1 ? '' : 's'} on team ${employee.team} (met on ${eligibleOn})`,
        }),
  };
}
