import type { FrameworkDocument, Requirement } from './schema.js';
import { findDesignation, findRole } from './lookup.js';
import type { Issue, Result } from '../issues.js';

/** Every requirement of a role or designation, composites and their children included. */
export function requirementsOf(fw: FrameworkDocument, roleId: string): Requirement[] | undefined {
  const own = findRole(fw, roleId)?.role.requirements ?? findDesignation(fw, roleId)?.requirements;
  if (!own) return undefined;
  const flat = (rs: Requirement[]): Requirement[] =>
    rs.flatMap((r) => (r.kind === 'allOf' || r.kind === 'anyOf' ? [r, ...flat(r.children)] : [r]));
  return flat(own);
}

export function findRequirement(
  fw: FrameworkDocument,
  roleId: string,
  requirementId: string,
): Requirement | undefined {
  return requirementsOf(fw, roleId)?.find((r) => r.id === requirementId);
}

export interface WaiverRequestCheck {
  roleId: string;
  requirementIds: string[];
  /** The urgent need to fill the role, as stated by the requester. */
  urgentNeed?: string;
  /** The actor role that would grant it (checked against the policy when given). */
  approverRole?: string;
}

/**
 * Whether a waiver may be requested (or granted) under the framework's waiver policy: the role
 * and requirements exist, their kinds are waivable, the urgent need is stated when the policy
 * requires it, and the approver's role may grant waivers. Returns the requirements, or every problem.
 */
export function checkWaiverRequest(
  fw: FrameworkDocument,
  request: WaiverRequestCheck,
): Result<Requirement[]> {
  const policy = fw.waiverPolicy;
  const errors: Issue[] = [];
  if (!policy)
    return {
      ok: false,
      errors: [{ path: '', message: `framework ${fw.id} v${fw.version} allows no waivers` }],
    };
  const all = requirementsOf(fw, request.roleId);
  if (!all)
    return {
      ok: false,
      errors: [
        { path: 'roleId', message: `framework ${fw.id} has no role or designation "${request.roleId}"` },
      ],
    };
  if (request.requirementIds.length === 0)
    errors.push({ path: 'requirementIds', message: 'name at least one requirement' });
  const found: Requirement[] = [];
  request.requirementIds.forEach((id, i) => {
    const r = all.find((x) => x.id === id);
    if (!r) {
      errors.push({
        path: `requirementIds[${i}]`,
        message: `"${request.roleId}" has no requirement "${id}" (it has ${all.map((x) => x.id).join(', ') || 'none'})`,
      });
    } else if (!policy.waivableKinds.includes(r.kind)) {
      errors.push({ path: `requirementIds[${i}]`, message: `${r.kind} requirements may not be waived` });
    } else found.push(r);
  });
  if (policy.urgentNeedRequired && !request.urgentNeed?.trim()) {
    errors.push({ path: 'urgentNeed', message: 'a waiver needs the urgent need to fill the role stated' });
  }
  if (request.approverRole !== undefined && !(policy.grantedBy as string[]).includes(request.approverRole)) {
    errors.push({
      path: 'approverRole',
      message: `only ${policy.grantedBy.join(' or ')} may grant waivers, not ${request.approverRole}`,
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: found };
}
