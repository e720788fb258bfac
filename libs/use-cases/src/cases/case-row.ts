import type { CaseListEntry } from '@talent/read-models';
import {
  getAggregate,
  POLICY,
  refusedUser,
  type CaseFacts,
  type CaseState,
  type Constraint,
  type Grant,
} from '@talent/workflows';

/** Actions that never mean "the case waits on you" (anyone involved may always take them). */
const NOT_WAITING = new Set(['withdraw', 'cancel', 'close', 'end', 'read']);

/** Who must act now, and who matches but may not (see `CaseListEntry.waitingExcept`). */
export interface WaitingOn {
  /** Tokens a caller matches: `user:<id>`, `role:<role>`, `role:<role>@<team>`. */
  tokens: string[];
  /** `<token>!user:<id>`: that user matches the token but every action behind it refuses them. */
  except: string[];
}

/**
 * Derived from the actions the machine accepts in this stage and the policy's grants. A token's
 * exceptions are the users every action giving that token refuses (its constraints: not the
 * requester, not the employee the case is about).
 */
export function waitingOn(state: CaseState, facts: CaseFacts): WaitingOn {
  const aggregate = getAggregate(state.caseType);
  const snapshot = aggregate.snapshotOf(state);
  const refusedBy = new Map<string, Set<string>>();
  for (const action of aggregate.actions) {
    if (NOT_WAITING.has(action)) continue;
    const events = aggregate.machineEventsByAction[action] ?? [];
    if (!events.some((type) => snapshot.can({ type }))) continue;
    const policy = POLICY[state.caseType][action];
    const refused = refusedUsers(policy?.constraints ?? [], facts);
    for (const grant of policy?.grants ?? []) {
      const token = tokenFor(grant, facts);
      if (!token) continue;
      const before = refusedBy.get(token);
      // refused only if refused by every action behind the token
      refusedBy.set(token, before ? new Set([...before].filter((u) => refused.has(u))) : refused);
    }
  }
  const tokens = [...refusedBy.keys()].sort();
  const except = tokens.flatMap((t) => [...refusedBy.get(t)!].sort().map((u) => `${t}!user:${u}`));
  return { tokens, except };
}

function refusedUsers(constraints: readonly Constraint[], f: CaseFacts): Set<string> {
  return new Set(constraints.map((c) => refusedUser(c, f)).filter((u): u is string => !!u));
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
  const waiting = waitingOn(state, facts);
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
    waitingOn: waiting.tokens,
    waitingExcept: waiting.except,
    version: state.version,
    openedAt: state.createdAt,
    updatedAt: state.updatedAt,
    state,
  };
}
