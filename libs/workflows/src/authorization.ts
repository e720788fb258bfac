import { ForbiddenError } from './errors.js';
import { CASE_LABELS, type Actor, type CaseFacts, type CaseType, type Role } from './common/types.js';

/** Who may take an action, in terms of role + relationship to the case. */
export type Grant =
  | 'hr'
  | 'system'
  | 'auditor'
  | 'self' // employee acting on their own case
  | 'anyEmployee' // any employee (e.g. applying to an open role)
  | 'requester' // whoever requested the case
  | 'managerOfEmployee' // manager whose report the employee is
  | 'leadershipOfEmployeeTeam'
  | 'leadershipOfReceivingTeam'
  | 'managerOfTeam' // manager in the team the case belongs to (role openings)
  | 'leadershipOfTeam'
  | 'anyone'; // every authenticated role (org-wide reads)

/** Deny rules that override any grant. */
export type Constraint = 'notRequester' | 'notSubject';

/** The one user a constraint refuses on this case (the requester, the employee), if known. */
export function refusedUser(c: Constraint, facts: CaseFacts): string | undefined {
  return c === 'notRequester' ? facts.requesterId : facts.employeeId;
}

export interface ActionPolicy {
  grants: readonly Grant[];
  constraints?: readonly Constraint[];
  /** reads never change anything; auditors are only ever granted reads */
  read?: boolean;
}

const READ_EMPLOYEE_CASE: ActionPolicy = {
  read: true,
  grants: ['self', 'managerOfEmployee', 'leadershipOfEmployeeTeam', 'hr', 'auditor', 'requester'],
};

export const POLICY: Record<CaseType, Record<string, ActionPolicy>> = {
  reviewCycle: {
    read: { read: true, grants: ['anyone'] },
    // system: the framework's cadence opens cycles on schedule
    create: { grants: ['hr', 'system'] },
    open: { grants: ['hr', 'system'] },
    nominationDeadlinePassed: { grants: ['system'] },
    startCalibration: { grants: ['hr'] },
    calibrationDeadlinePassed: { grants: ['system'] },
    decide: { grants: ['hr'] },
    close: { grants: ['hr'] },
    cancel: { grants: ['hr'] },
  },
  promotion: {
    read: READ_EMPLOYEE_CASE,
    // an employee requesting must also be eligible (checked in decide, 422)
    // system: selecting a candidate on a role opening opens their promotion case
    request: { grants: ['self', 'managerOfEmployee', 'system'] },
    checkEligibility: { grants: ['managerOfEmployee', 'hr', 'system'] },
    waiverRequested: { grants: ['system'] },
    waiverDecided: { grants: ['system'] },
    beginReview: { grants: ['managerOfEmployee', 'hr'] },
    recordPeerReview: { grants: ['managerOfEmployee', 'hr'], constraints: ['notSubject'] },
    recommend: { grants: ['managerOfEmployee'], constraints: ['notSubject'] },
    enterCalibration: { grants: ['hr', 'managerOfEmployee'] },
    approve: { grants: ['hr'], constraints: ['notSubject'] },
    deny: { grants: ['hr'], constraints: ['notSubject'] },
    leadershipApprove: { grants: ['leadershipOfEmployeeTeam'], constraints: ['notSubject'] },
    leadershipDeny: { grants: ['leadershipOfEmployeeTeam'], constraints: ['notSubject'] },
    reachEffectiveDate: { grants: ['system'] },
    close: { grants: ['hr', 'system'] },
    withdraw: { grants: ['self', 'managerOfEmployee'] },
  },
  designation: {
    read: READ_EMPLOYEE_CASE,
    nominate: { grants: ['managerOfEmployee'], constraints: ['notSubject'] },
    beginPeerReview: { grants: ['managerOfEmployee', 'hr'] },
    recordPeerReview: { grants: ['managerOfEmployee', 'hr'], constraints: ['notSubject'] },
    approve: { grants: ['leadershipOfEmployeeTeam'], constraints: ['notSubject'] },
    reject: { grants: ['leadershipOfEmployeeTeam'], constraints: ['notSubject'] },
    end: { grants: ['managerOfEmployee', 'leadershipOfEmployeeTeam', 'hr'] },
    withdraw: { grants: ['managerOfEmployee', 'self'] },
  },
  opening: {
    read: { read: true, grants: ['anyone'] },
    draft: { grants: ['managerOfTeam', 'hr'] },
    submit: { grants: ['managerOfTeam', 'hr'] },
    approve: { grants: ['leadershipOfTeam'], constraints: ['notRequester'] },
    reject: { grants: ['leadershipOfTeam'], constraints: ['notRequester'] },
    remindApproval: { grants: ['system'] },
    approvalDeadlinePassed: { grants: ['system'] },
    escalationDeadlinePassed: { grants: ['system'] },
    invite: { grants: ['hr', 'system', 'managerOfTeam'] },
    apply: { grants: ['anyEmployee'] },
    closeApplicationWindow: { grants: ['system', 'hr'] },
    startInterviews: { grants: ['managerOfTeam', 'hr'] },
    selectCandidate: { grants: ['managerOfTeam', 'hr'] },
    fill: { grants: ['hr', 'system'] },
    cancel: { grants: ['managerOfTeam', 'hr'] },
  },
  transfer: {
    read: {
      read: true,
      grants: [
        'self',
        'managerOfEmployee',
        'leadershipOfEmployeeTeam',
        'leadershipOfReceivingTeam',
        'hr',
        'auditor',
      ],
    },
    request: { grants: ['self'] },
    acknowledge: { grants: ['managerOfEmployee'] },
    approve: { grants: ['leadershipOfReceivingTeam'], constraints: ['notSubject'] },
    reject: { grants: ['leadershipOfReceivingTeam'], constraints: ['notSubject'] },
    remindApproval: { grants: ['system'] },
    approvalDeadlinePassed: { grants: ['system'] },
    escalationDeadlinePassed: { grants: ['system'] },
    agreeEffectiveDate: { grants: ['managerOfEmployee', 'leadershipOfReceivingTeam', 'hr'] },
    reachEffectiveDate: { grants: ['system'] },
    complete: { grants: ['hr', 'system'] },
    withdraw: { grants: ['self'] },
  },
  waiver: {
    read: READ_EMPLOYEE_CASE,
    request: { grants: ['managerOfEmployee', 'self', 'hr', 'leadershipOfEmployeeTeam'] },
    grant: { grants: ['leadershipOfEmployeeTeam'], constraints: ['notRequester', 'notSubject'] },
    deny: { grants: ['leadershipOfEmployeeTeam'], constraints: ['notRequester', 'notSubject'] },
    withdraw: { grants: ['requester'] },
    // waiver@2 deadlines; escalation is told through WaiverApprovalEscalated (the deciders stay the same)
    remindApproval: { grants: ['system'] },
    approvalDeadlinePassed: { grants: ['system'] },
    escalationDeadlinePassed: { grants: ['system'] },
  },
};

const GRANT_ROLE: Record<Grant, Role | undefined> = {
  hr: 'hr',
  system: 'system',
  auditor: 'auditor',
  self: 'employee',
  anyEmployee: 'employee',
  requester: undefined,
  managerOfEmployee: 'manager',
  leadershipOfEmployeeTeam: 'leadership',
  leadershipOfReceivingTeam: 'leadership',
  managerOfTeam: 'manager',
  leadershipOfTeam: 'leadership',
  anyone: undefined,
};

function matchesGrant(grant: Grant, actor: Actor, facts: CaseFacts): Role | undefined {
  const has = (r: Role) => actor.roles.includes(r);
  const same = (a: string | undefined, b: string | undefined) =>
    a !== undefined && b !== undefined && a === b;
  switch (grant) {
    case 'hr':
    case 'system':
    case 'auditor':
    case 'anyEmployee':
      return has(GRANT_ROLE[grant]!) ? GRANT_ROLE[grant] : undefined;
    case 'self':
      return has('employee') && same(actor.userId, facts.employeeId) ? 'employee' : undefined;
    case 'requester':
      return same(actor.userId, facts.requesterId) ? actor.roles.find((r) => r !== 'auditor') : undefined;
    case 'managerOfEmployee':
      return has('manager') && same(actor.userId, facts.employeeManagerId) ? 'manager' : undefined;
    case 'leadershipOfEmployeeTeam':
      return has('leadership') && same(actor.team, facts.employeeTeam) ? 'leadership' : undefined;
    case 'leadershipOfReceivingTeam':
      return has('leadership') && same(actor.team, facts.receivingTeam) ? 'leadership' : undefined;
    case 'managerOfTeam':
      return has('manager') && same(actor.team, facts.team) ? 'manager' : undefined;
    case 'leadershipOfTeam':
      return has('leadership') && same(actor.team, facts.team) ? 'leadership' : undefined;
    case 'anyone':
      return actor.roles[0];
  }
}

const GRANT_TEXT: Record<Grant, (f: CaseFacts) => string> = {
  hr: () => 'HR',
  system: () => 'the system (scheduled jobs)',
  auditor: () => 'auditors',
  self: (f) => `the employee themself (${f.employeeId ?? '?'})`,
  anyEmployee: () => 'any employee',
  requester: (f) => `the requester (${f.requesterId ?? '?'})`,
  managerOfEmployee: (f) => `the employee's manager (${f.employeeManagerId ?? '?'})`,
  leadershipOfEmployeeTeam: (f) => `leadership of the employee's team (${f.employeeTeam ?? '?'})`,
  leadershipOfReceivingTeam: (f) => `leadership of the receiving team (${f.receivingTeam ?? '?'})`,
  managerOfTeam: (f) => `managers of team ${f.team ?? '?'}`,
  leadershipOfTeam: (f) => `leadership of team ${f.team ?? '?'}`,
  anyone: () => 'anyone',
};

export type AuthorizationResult =
  { allowed: true; as: Role; grant: Grant } | { allowed: false; reason: string; code: string };

/** Pure policy check. Never throws; see `authorize` for the throwing variant. */
export function checkAuthorization(
  caseType: CaseType,
  action: string,
  actor: Actor,
  facts: CaseFacts,
): AuthorizationResult {
  const policy = POLICY[caseType][action];
  const who = `user '${actor.userId}' (${actor.roles.join(', ')})`;
  const label = CASE_LABELS[caseType];
  if (!policy) {
    return { allowed: false, code: 'UNKNOWN_ACTION', reason: `'${action}' is not an action of a ${label}` };
  }
  for (const c of policy.constraints ?? []) {
    if (refusedUser(c, facts) !== actor.userId) continue;
    if (c === 'notRequester') {
      return {
        allowed: false,
        code: 'SELF_APPROVAL',
        reason: `${who} requested this ${label} and so may not '${action}' it; another approver must decide`,
      };
    }
    if (c === 'notSubject') {
      return {
        allowed: false,
        code: 'OWN_CASE_DECISION',
        reason: `${who} is the employee this ${label} is about and so may not '${action}' it`,
      };
    }
  }
  for (const g of policy.grants) {
    // auditors read everything and change nothing, whatever the table says
    if (!policy.read && g === 'auditor') continue;
    const as = matchesGrant(g, actor, facts);
    if (as !== undefined && (policy.read || as !== 'auditor')) return { allowed: true, as, grant: g };
  }
  const allowed = policy.grants.map((g) => GRANT_TEXT[g](facts)).join('; ');
  return {
    allowed: false,
    code: 'NOT_PERMITTED',
    reason: `${who} may not '${action}' this ${label}; allowed for: ${allowed}`,
  };
}

/** Throws ForbiddenError when the actor may not take the action; returns the role acted as. */
export function authorize(
  caseType: CaseType,
  action: string,
  actor: Actor,
  facts: CaseFacts,
): { as: Role; grant: Grant } {
  const r = checkAuthorization(caseType, action, actor, facts);
  if (!r.allowed) throw new ForbiddenError(r.reason, { caseType, action, actorId: actor.userId }, r.code);
  return { as: r.as, grant: r.grant };
}
