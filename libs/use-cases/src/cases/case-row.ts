import type { CaseListEntry } from '@talent/read-models';
import { getAggregate, POLICY, type CaseFacts, type CaseState, type Grant } from '@talent/workflows';

/** Actions that never mean "the case waits on you" (anyone involved may always take them). */
const NOT_WAITING = new Set(['withdraw', 'cancel', 'close', 'end', 'read']);

/**
 * Who must act now, as tokens a caller matches: `user:<id>`, `role:<role>`, `role:<role>@<team>`.
 * Derived from the actions the machine accepts in this stage and the policy's grants.
 */
export function waitingOn(state: CaseState, facts: CaseFacts): string[] {
  const aggregate = getAggregate(state.caseType);
  const snapshot = aggregate.snapshotOf(state);
  const tokens = new Set<string>();
  for (const action of aggregate.actions) {
    if (NOT_WAITING.has(action)) continue;
    const events = aggregate.machineEventsByAction[action] ?? [];
    if (!events.some((type) => snapshot.can({ type }))) continue;
    for (const grant of POLICY[state.caseType][action]?.grants ?? []) {
      const token = tokenFor(grant, facts);
      if (token) tokens.add(token);
    }
  }
  return [...tokens].sort();
}

function tokenFor(grant: Grant, f: CaseFacts): string | undefined {
  switch (grant) {
    case 'hr':
      return 'role:hr';
    case 'self':
      return f.employeeId ? `user:${f.employeeId}` : undefined;
    case 'requester':
      return f.requesterId ? `user:${f.requesterId}` : undefined;
    case 'managerOfEmployee':
      return f.employeeManagerId ? `user:${f.employeeManagerId}` : undefined;
    case 'leadershipOfEmployeeTeam':
      return f.employeeTeam ? `role:leadership@${f.employeeTeam}` : undefined;
    case 'leadershipOfReceivingTeam':
      return f.receivingTeam ? `role:leadership@${f.receivingTeam}` : undefined;
    case 'managerOfTeam':
      return f.team ? `role:manager@${f.team}` : undefined;
    case 'leadershipOfTeam':
      return f.team ? `role:leadership@${f.team}` : undefined;
    case 'anyEmployee':
      return 'role:employee';
    default:
      return undefined;
  }
}

/** The tokens that identify a caller in `waiting_on`. */
export function callerTokens(actor: {
  userId: string;
  roles: readonly string[];
  team: string | null;
}): string[] {
  const tokens = [`user:${actor.userId}`];
  for (const role of actor.roles) {
    tokens.push(`role:${role}`);
    if (actor.team) tokens.push(`role:${role}@${actor.team}`);
  }
  return tokens;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The case-list row of a case state. */
export function caseListEntry(state: CaseState, facts: CaseFacts): CaseListEntry {
  const s = state as unknown as Record<string, unknown>;
  const fv = s.frameworkVersion;
  return {
    caseId: state.caseId,
    caseType: state.caseType,
    stage: state.stage,
    employeeId: str(s.employeeId),
    team: str(s.team) ?? str(s.fromTeam) ?? facts.employeeTeam ?? null,
    receivingTeam: str(s.toTeam),
    cycleId: str(s.cycleId),
    openingId: str(s.openingId),
    targetRoleId: str(s.targetRoleId) ?? str(s.roleId) ?? str(s.designationId),
    frameworkId: str(s.frameworkId),
    frameworkVersion: typeof fv === 'number' ? fv : null,
    machineVersion: state.machineVersion,
    requesterId: facts.requesterId ?? null,
    waitingOn: waitingOn(state, facts),
    version: state.version,
    openedAt: state.createdAt,
    updatedAt: state.updatedAt,
    state,
  };
}
