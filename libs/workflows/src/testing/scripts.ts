// One valid script per case type: creation payload, payload per action, prerequisites per stage.
import type { CaseScript } from './harness.js';
import { at } from './world.js';

const plus1 = (now: string) => at(1, now);

export const reviewCycleScript: CaseScript = {
  caseType: 'reviewCycle',
  caseId: 'cycle-1',
  creation: {
    action: 'create',
    payload: (now) => ({
      name: '2026 H1',
      frameworkId: 'ce-ladder',
      frameworkVersion: 1,
      timeZone: 'Europe/Berlin',
      opensAt: at(0.5, now),
      nominationDeadline: at(1, now),
      calibrationDeadline: at(2, now),
    }),
  },
  payloads: { decide: () => ({ summary: 'calibrated' }) },
};

export function promotionScript(targetPath: 'ic' | 'management'): CaseScript {
  return {
    caseType: 'promotion',
    caseId: `promotion-${targetPath}`,
    creation: {
      action: 'request',
      payload: () => ({
        employeeId: 'emp-1',
        targetRoleId: targetPath === 'ic' ? 'senior-engineer' : 'team-lead',
        targetPath,
        frameworkId: 'ce-ladder',
        frameworkVersion: 1,
        ...(targetPath === 'management' ? { openingId: 'opening-1' } : {}),
      }),
    },
    payloads: {
      waiverRequested: () => ({ waiverId: 'waiver-1', requirementIds: ['time-at-level'] }),
      waiverDecided: () => ({ waiverId: 'waiver-1', outcome: 'granted', requirementIds: ['time-at-level'] }),
      recordPeerReview: () => ({ outcome: 'passed', reviewers: ['emp-7', 'emp-8'] }),
      recommend: () => ({ summary: 'ready' }),
      enterCalibration: () => ({ cycleId: 'cycle-1' }),
      approve: (now) => ({ effectiveDate: plus1(now) }),
    },
    onEnter: { evidenceAndPeerReview: ['recordPeerReview'] },
  };
}

export const designationScript: CaseScript = {
  caseType: 'designation',
  caseId: 'designation-1',
  creation: {
    action: 'nominate',
    payload: () => ({
      employeeId: 'emp-1',
      designationId: 'regional-team-lead',
      frameworkId: 'ce-framework',
      frameworkVersion: 1,
      team: 'team-a',
    }),
  },
  payloads: {
    recordPeerReview: (_now, me) => ({ outcome: me === 'PEER_REVIEW_FAILED' ? 'failed' : 'passed' }),
    approve: (now) => ({ startDate: plus1(now).slice(0, 10) }),
    end: (now) => ({ endDate: plus1(now).slice(0, 10) }),
  },
};

export const openingScript: CaseScript = {
  caseType: 'opening',
  caseId: 'opening-1',
  creation: {
    action: 'draft',
    payload: () => ({
      team: 'team-a',
      roleId: 'team-lead',
      frameworkId: 'ce-ladder',
      frameworkVersion: 1,
      justification: 'APAC coverage needs a team lead for 4 new hires',
    }),
  },
  payloads: {
    approve: (now) => ({ applicationWindowClosesAt: plus1(now) }),
    invite: () => ({ employeeIds: ['emp-2', 'emp-3'] }),
    selectCandidate: () => ({ employeeId: 'emp-2', promotionCaseId: 'promotion-9' }),
  },
  onEnter: { submitted: ['remindApproval'], applications: ['apply'] },
};

export const transferScript: CaseScript = {
  caseType: 'transfer',
  caseId: 'transfer-1',
  creation: {
    action: 'request',
    payload: () => ({ employeeId: 'emp-1', fromTeam: 'team-a', toTeam: 'team-b' }),
  },
  payloads: { agreeEffectiveDate: (now) => ({ effectiveDate: plus1(now) }) },
  onEnter: { acknowledgedByManager: ['remindApproval'] },
  ctx: {
    eligibility: {
      requirements: [{ requirementId: 'team-tenure', kind: 'minimumTenureOnTeam', status: 'met' }],
    },
  },
};

export const waiverScript: CaseScript = {
  caseType: 'waiver',
  caseId: 'waiver-1',
  creation: {
    action: 'request',
    payload: () => ({
      employeeId: 'emp-1',
      subjectCaseType: 'promotion',
      subjectCaseId: 'promotion-ic',
      targetRoleId: 'senior-engineer',
      requirementIds: ['time-at-level'],
      urgentNeed: 'Two senior engineers left; the on-call rotation cannot be staffed',
    }),
  },
  payloads: {},
};
