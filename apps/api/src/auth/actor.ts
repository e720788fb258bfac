export const ROLES = ['hr', 'manager', 'leadership', 'employee', 'auditor', 'system'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: taken only from a verified bearer token. */
export interface Actor {
  userId: string;
  roles: Role[];
  team: string | null;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
