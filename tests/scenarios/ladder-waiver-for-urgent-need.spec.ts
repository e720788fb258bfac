// Seed 002: "Requirements for advancement may, from time to time, be waived at the discretion of team
// leadership. This is a rare occurrence, and only in cases of urgent need for a role to be filled."
import { eligibility } from '@talent/career-framework';
import type { GrantedWaiver, RoleOpening } from '@talent/career-framework';
import { loadFramework } from './support/frameworks.js';
import { EmployeeStory } from './support/employees.js';

const ladder = loadFramework('ladder');
const openings: RoleOpening[] = [
  { openingId: 'op-1', roleId: 'team-lead', approvedAt: '2025-05-01', status: 'open' },
];

const kim = (): EmployeeStory =>
  new EmployeeStory('kim', {
    effectiveDate: '2024-11-04',
    team: 'support-apac',
    frameworkId: 'customer-engineering-ladder',
    track: 'core',
    roleId: 'customer-engineer',
  })
    .add('CoachingEvidenceRecorded', {
      description: 'Ran the onboarding buddy programme',
      effectiveDate: '2025-04-01',
    })
    .add('PeerReviewRecorded', {
      targetRoleId: 'team-lead',
      outcome: 'passed',
      date: '2025-05-20',
      effectiveDate: '2025-05-20',
    });

const waiver: GrantedWaiver = {
  waiverId: 'w-17',
  requirementIds: ['time-at-level-1'],
  roleId: 'team-lead',
  grantedBy: 'leader-ana',
  grantedAt: '2025-05-25',
};

describe('Kim, six full months in, needed urgently as Team Lead', () => {
  it('without a waiver the year at Level 1 is missing', () => {
    const result = eligibility({
      framework: ladder,
      employee: kim().record(),
      targetRoleId: 'team-lead',
      asOf: '2025-06-01',
      openings,
    });
    expect(result.eligible).toBe(false);
    expect(result.requirements[1]).toMatchObject({
      status: 'unmet',
      missing: '6 months more at Customer Engineer (met on 2025-11-04)',
    });
  });

  it('a granted waiver shows the requirement as waived, with the approver, and makes Kim eligible', () => {
    const result = eligibility({
      framework: ladder,
      employee: kim().record(),
      targetRoleId: 'team-lead',
      asOf: '2025-06-01',
      openings,
      waivers: [waiver],
    });
    expect(result.eligible).toBe(true);
    const time = result.requirements[1];
    expect(time.status).toBe('waived');
    expect(time.missing).toBeUndefined();
    expect(time.evidence.waiver).toEqual({
      waiverId: 'w-17',
      grantedBy: 'leader-ana',
      grantedAt: '2025-05-25',
    });
    expect(time.evidence.summary).toMatch(
      /^waived by leader-ana on 2025-05-25 \(waiver w-17\); 6 months at Customer Engineer since 2024-11-04/,
    );
  });

  it('does not count a waiver before it was granted, nor one for another role', () => {
    const early = eligibility({
      framework: ladder,
      employee: kim().record(),
      targetRoleId: 'team-lead',
      asOf: '2025-05-24',
      openings,
      waivers: [waiver],
    });
    expect(early.requirements[1].status).toBe('unmet');
    const other = eligibility({
      framework: ladder,
      employee: kim().record(),
      targetRoleId: 'team-lead',
      asOf: '2025-06-01',
      openings,
      waivers: [{ ...waiver, roleId: 'senior-engineer' }],
    });
    expect(other.requirements[1].status).toBe('unmet');
  });

  it('can waive a whole composite requirement (the coaching OR people-management rule)', () => {
    const story = new EmployeeStory('lea', {
      effectiveDate: '2023-01-02',
      team: 'support-apac',
      frameworkId: 'customer-engineering-ladder',
      track: 'core',
      roleId: 'customer-engineer',
    }).add('PeerReviewRecorded', {
      targetRoleId: 'team-lead',
      outcome: 'passed',
      date: '2025-05-20',
      effectiveDate: '2025-05-20',
    });
    const result = eligibility({
      framework: ladder,
      employee: story.record(),
      targetRoleId: 'team-lead',
      asOf: '2025-06-01',
      openings,
      waivers: [{ ...waiver, requirementIds: ['coaching-or-people-management'] }],
    });
    expect(result.eligible).toBe(true);
    expect(result.requirements[2].status).toBe('waived');
  });

  it('a framework without a waiver policy (CE career development) ignores waivers and says why', () => {
    const ce = loadFramework('ce');
    const story = new EmployeeStory('max', {
      effectiveDate: '2025-01-06',
      team: 'ce-global',
      frameworkId: 'ce-career-development',
      track: 'ic',
      roleId: 'IC1',
    });
    const result = eligibility({
      framework: ce,
      employee: story.record(),
      targetRoleId: 'IC2',
      asOf: '2025-06-01',
      waivers: [
        {
          waiverId: 'w-ce',
          requirementIds: ['consecutive-high-quarters'],
          roleId: 'IC2',
          grantedBy: 'vp',
          grantedAt: '2025-05-01',
        },
      ],
    });
    expect(result.requirements[0].status).toBe('unmet');
    expect(result.requirements[0].evidence.ignoredWaivers).toEqual([
      { waiverId: 'w-ce', reason: 'the framework allows no waivers' },
    ]);
  });
});
