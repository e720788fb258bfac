import { describe, expect, it } from '@jest/globals';
import { authorize, checkAuthorization, POLICY } from './authorization.js';
import { ForbiddenError } from './errors.js';
import type { CaseFacts, CaseType } from './common/types.js';
import { baseFacts, people, type Person } from './testing/world.js';

const everyone = Object.keys(people) as Person[];

/** Expected: who may take each action, given the facts below (an independent statement of the rules). */
const MATRIX: Record<CaseType, { facts: CaseFacts; allowed: Record<string, Person[]> }> = {
  reviewCycle: {
    facts: {},
    allowed: {
      read: everyone,
      create: ['hr', 'system'],
      open: ['hr', 'system'],
      nominationDeadlinePassed: ['system'],
      startCalibration: ['hr'],
      calibrationDeadlinePassed: ['system'],
      decide: ['hr'],
      close: ['hr'],
      cancel: ['hr'],
    },
  },
  promotion: {
    facts: { ...baseFacts, requesterId: 'mgr-1' },
    allowed: {
      read: ['employee', 'manager', 'leadership', 'leadership2', 'hr', 'auditor'],
      request: ['employee', 'manager', 'system'],
      checkEligibility: ['manager', 'hr', 'system'],
      waiverRequested: ['system'],
      waiverDecided: ['system'],
      beginReview: ['manager', 'hr'],
      recordPeerReview: ['manager', 'hr'],
      recommend: ['manager'],
      enterCalibration: ['manager', 'hr'],
      approve: ['hr'],
      deny: ['hr'],
      leadershipApprove: ['leadership', 'leadership2'],
      leadershipDeny: ['leadership', 'leadership2'],
      reachEffectiveDate: ['system'],
      close: ['hr', 'system'],
      withdraw: ['employee', 'manager'],
    },
  },
  designation: {
    facts: { ...baseFacts, requesterId: 'mgr-1' },
    allowed: {
      read: ['employee', 'manager', 'leadership', 'leadership2', 'hr', 'auditor'],
      nominate: ['manager'],
      beginPeerReview: ['manager', 'hr'],
      recordPeerReview: ['manager', 'hr'],
      approve: ['leadership', 'leadership2'],
      reject: ['leadership', 'leadership2'],
      end: ['manager', 'leadership', 'leadership2', 'hr'],
      withdraw: ['employee', 'manager'],
    },
  },
  opening: {
    facts: { team: 'team-a', requesterId: 'mgr-1' },
    allowed: {
      read: everyone,
      draft: ['manager', 'hr'],
      submit: ['manager', 'hr'],
      approve: ['leadership', 'leadership2'],
      reject: ['leadership', 'leadership2'],
      remindApproval: ['system'],
      approvalDeadlinePassed: ['system'],
      escalationDeadlinePassed: ['system'],
      invite: ['manager', 'hr', 'system'],
      apply: ['employee', 'otherEmployee'],
      closeApplicationWindow: ['hr', 'system'],
      startInterviews: ['manager', 'hr'],
      selectCandidate: ['manager', 'hr'],
      fill: ['hr', 'system'],
      cancel: ['manager', 'hr'],
    },
  },
  transfer: {
    facts: { ...baseFacts, requesterId: 'emp-1' },
    allowed: {
      read: ['employee', 'manager', 'leadership', 'leadership2', 'receivingLeadership', 'hr', 'auditor'],
      request: ['employee'],
      acknowledge: ['manager'],
      approve: ['receivingLeadership'],
      reject: ['receivingLeadership'],
      remindApproval: ['system'],
      approvalDeadlinePassed: ['system'],
      escalationDeadlinePassed: ['system'],
      agreeEffectiveDate: ['manager', 'receivingLeadership', 'hr'],
      reachEffectiveDate: ['system'],
      complete: ['hr', 'system'],
      withdraw: ['employee'],
    },
  },
  waiver: {
    facts: { ...baseFacts, requesterId: 'mgr-1' },
    allowed: {
      read: ['employee', 'manager', 'leadership', 'leadership2', 'hr', 'auditor'],
      request: ['employee', 'manager', 'leadership', 'leadership2', 'hr'],
      grant: ['leadership', 'leadership2'],
      deny: ['leadership', 'leadership2'],
      withdraw: ['manager'],
      remindApproval: ['system'],
      approvalDeadlinePassed: ['system'],
      escalationDeadlinePassed: ['system'],
    },
  },
};

describe('authorization matrix', () => {
  it('covers every action of the policy table', () => {
    for (const caseType of Object.keys(POLICY) as CaseType[]) {
      expect(Object.keys(MATRIX[caseType].allowed).sort()).toEqual(Object.keys(POLICY[caseType]).sort());
    }
  });

  const rows = (Object.keys(MATRIX) as CaseType[]).flatMap((caseType) =>
    Object.entries(MATRIX[caseType].allowed).flatMap(([action, allowed]) =>
      everyone.map((person) => ({ caseType, action, person, allowed: allowed.includes(person) })),
    ),
  );

  it.each(rows)(
    '$caseType.$action by $person -> allowed: $allowed',
    ({ caseType, action, person, allowed }) => {
      const actor = people[person];
      const facts = MATRIX[caseType].facts;
      expect(checkAuthorization(caseType, action, actor, facts).allowed).toBe(allowed);
      if (allowed) {
        expect(() => authorize(caseType, action, actor, facts)).not.toThrow();
      } else {
        let error: unknown;
        try {
          authorize(caseType, action, actor, facts);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ForbiddenError);
        expect((error as ForbiddenError).httpStatus).toBe(403);
        expect((error as ForbiddenError).message).toContain(`may not '${action}'`);
      }
    },
  );
});

describe('authorization relationships', () => {
  it('auditors read everything and change nothing, even where a grant would match', () => {
    for (const caseType of Object.keys(POLICY) as CaseType[]) {
      for (const [action, policy] of Object.entries(POLICY[caseType])) {
        const r = checkAuthorization(caseType, action, people.auditor, {
          ...baseFacts,
          requesterId: 'aud-1',
        });
        expect(r.allowed).toBe(policy.read === true);
      }
    }
  });

  it('a waiver requester can never grant or deny it, even as leadership of the team', () => {
    const facts = { ...baseFacts, requesterId: 'lead-a' };
    for (const action of ['grant', 'deny']) {
      const r = checkAuthorization('waiver', action, people.leadership, facts);
      expect(r).toMatchObject({ allowed: false, code: 'SELF_APPROVAL' });
      expect(checkAuthorization('waiver', action, people.leadership2, facts).allowed).toBe(true);
    }
  });

  it('the employee a case is about may not decide it, whatever their role', () => {
    const leaderAsSubject = { userId: 'emp-1', roles: ['leadership', 'employee'] as const, team: 'team-a' };
    const actor = { ...leaderAsSubject, roles: [...leaderAsSubject.roles] };
    expect(checkAuthorization('waiver', 'grant', actor, baseFacts)).toMatchObject({
      code: 'OWN_CASE_DECISION',
    });
    expect(checkAuthorization('promotion', 'leadershipApprove', actor, baseFacts)).toMatchObject({
      code: 'OWN_CASE_DECISION',
    });
    // but they can still withdraw their own case
    expect(checkAuthorization('promotion', 'withdraw', actor, baseFacts).allowed).toBe(true);
  });

  it('a manager acts only on their own reports; leadership only on their own organisation', () => {
    const otherReport = {
      ...baseFacts,
      employeeId: 'emp-9',
      employeeManagerId: 'mgr-2',
      employeeTeam: 'team-b',
    };
    expect(checkAuthorization('promotion', 'request', people.manager, otherReport).allowed).toBe(false);
    expect(checkAuthorization('promotion', 'request', people.otherManager, otherReport).allowed).toBe(true);
    expect(checkAuthorization('promotion', 'leadershipApprove', people.leadership, otherReport).allowed).toBe(
      false,
    );
    expect(
      checkAuthorization('promotion', 'leadershipApprove', people.receivingLeadership, otherReport).allowed,
    ).toBe(true);
  });

  it('missing relationship facts never grant access', () => {
    expect(checkAuthorization('promotion', 'withdraw', people.employee, {}).allowed).toBe(false);
    expect(checkAuthorization('promotion', 'recommend', people.manager, {}).allowed).toBe(false);
    expect(checkAuthorization('opening', 'approve', { userId: 'x', roles: ['leadership'] }, {}).allowed).toBe(
      false,
    );
  });

  it('explains who may act', () => {
    const r = checkAuthorization('promotion', 'recommend', people.otherManager, baseFacts);
    expect(r).toMatchObject({ allowed: false, code: 'NOT_PERMITTED' });
    expect(!r.allowed && r.reason).toBe(
      "user 'mgr-2' (manager) may not 'recommend' this promotion case; allowed for: the employee's manager (mgr-1)",
    );
  });

  it('an unknown action is never allowed', () => {
    expect(checkAuthorization('promotion', 'teleport', people.hr, baseFacts)).toMatchObject({
      allowed: false,
      code: 'UNKNOWN_ACTION',
    });
  });
});
