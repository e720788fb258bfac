// Test factories shared by the workflow specs (not exported from the lib's index).
import type { Actor, CaseFacts, DecideContext, EligibilityVerdict } from '../common/types.js';

export const T0 = '2026-01-05T09:00:00.000Z';
const DAY = 86_400_000;
export function at(days: number, from = T0): string {
  return new Date(Date.parse(from) + days * DAY).toISOString();
}

export const people = {
  employee: { userId: 'emp-1', roles: ['employee'], team: 'team-a' },
  otherEmployee: { userId: 'emp-2', roles: ['employee'], team: 'team-a' },
  manager: { userId: 'mgr-1', roles: ['manager'], team: 'team-a' },
  otherManager: { userId: 'mgr-2', roles: ['manager'], team: 'team-b' },
  leadership: { userId: 'lead-a', roles: ['leadership'], team: 'team-a' },
  leadership2: { userId: 'lead-a2', roles: ['leadership'], team: 'team-a' },
  receivingLeadership: { userId: 'lead-b', roles: ['leadership'], team: 'team-b' },
  otherLeadership: { userId: 'lead-c', roles: ['leadership'], team: 'team-c' },
  hr: { userId: 'hr-1', roles: ['hr'], team: 'people-ops' },
  auditor: { userId: 'aud-1', roles: ['auditor'] },
  system: { userId: 'system', roles: ['system'] },
} satisfies Record<string, Actor>;
export type Person = keyof typeof people;

/** emp-1 reports to mgr-1 in team-a; transfers go to team-b; openings belong to team-a */
export const baseFacts: CaseFacts = {
  employeeId: 'emp-1',
  employeeManagerId: 'mgr-1',
  employeeTeam: 'team-a',
  receivingTeam: 'team-b',
  team: 'team-a',
};

export const allMet: EligibilityVerdict = {
  targetRoleId: 'senior-engineer',
  requirements: [
    { requirementId: 'time-at-level', kind: 'timeAtLevel', status: 'met' },
    { requirementId: 'sme-skillsets', kind: 'smeSkillsets', status: 'met' },
    {
      requirementId: 'peer-review',
      kind: 'peerReview',
      status: 'unmet',
      missing: 'a successful peer review',
    },
  ],
};

export const timeUnmet: EligibilityVerdict = {
  targetRoleId: 'senior-engineer',
  requirements: [
    {
      requirementId: 'time-at-level',
      kind: 'timeAtLevel',
      status: 'unmet',
      missing: '3 months more at Level 1',
    },
    { requirementId: 'sme-skillsets', kind: 'smeSkillsets', status: 'met' },
    { requirementId: 'peer-review', kind: 'peerReview', status: 'unmet' },
  ],
};

export function ctxFor(actor: Actor, now: string, extra: Partial<DecideContext> = {}): DecideContext {
  return {
    actor,
    now,
    facts: baseFacts,
    requestId: 'req-1',
    eligibility: allMet,
    cycle: { cycleId: 'cycle-1', stage: 'calibration' },
    opening: { openingId: 'opening-1', stage: 'open' },
    ...extra,
  };
}
