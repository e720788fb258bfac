import type { Designation, FrameworkDocument, Role, Track } from './schema.js';
import { UnknownRoleError } from '../errors.js';

export interface RoleInTrack {
  role: Role;
  track: Track;
}

export function allRoles(fw: FrameworkDocument): RoleInTrack[] {
  return fw.tracks.flatMap((track) => track.levels.map((role) => ({ role, track })));
}

export function findRole(fw: FrameworkDocument, roleId: string): RoleInTrack | undefined {
  return allRoles(fw).find((r) => r.role.id === roleId);
}

export function findDesignation(fw: FrameworkDocument, id: string): Designation | undefined {
  return fw.designations.find((d) => d.id === id);
}

export function getRole(fw: FrameworkDocument, roleId: string): RoleInTrack {
  const found = findRole(fw, roleId);
  if (!found) throw new UnknownRoleError(fw.id, roleId);
  return found;
}

/** Title of a role or designation, or the id itself when the framework does not know it. */
export function titleOf(fw: FrameworkDocument, id: string): string {
  return findRole(fw, id)?.role.title ?? findDesignation(fw, id)?.name ?? id;
}
