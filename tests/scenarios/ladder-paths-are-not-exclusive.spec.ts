// Seed 002: paths "are also not mutually exclusive. If an engineer wishes to move from the IC Path to the
// Management Path, or vice versa, they may do so if they meet the requirements for their desired role
// and that role is available."
import { eligibility, nextRoles } from '@talent/career-framework';
import type { RoleOpening } from '@talent/career-framework';
import { loadFramework } from './support/frameworks.js';
import { EmployeeStory } from './support/employees.js';

const framework = loadFramework('ladder');
const openings: RoleOpening[] = [
  { openingId: 'op-mgr', roleId: 'manager', approvedAt: '2026-01-05', status: 'open' },
  { openingId: 'op-tl', roleId: 'team-lead', approvedAt: '2026-01-05', status: 'open' },
];

const omar = (): EmployeeStory =>
  new EmployeeStory('omar', {
    effectiveDate: '2022-02-01',
    team: 'support-emea',
    frameworkId: 'customer-engineering-ladder',
    track: 'core',
    roleId: 'customer-engineer',
  })
    .add('LevelChanged', { roleId: 'senior-engineer', track: 'ic', effectiveDate: '2023-03-01' })
    .add('PeerReviewRecorded', {
      targetRoleId: 'manager',
      outcome: 'passed',
      date: '2026-01-10',
      effectiveDate: '2026-01-10',
    });

describe('Omar, Senior Engineer since 2023-03-01', () => {
  it('sees the next IC role and the cross-path roles at the same or the next level', () => {
    const next = nextRoles({ framework, employee: omar().record(), asOf: '2026-02-01', openings });
    expect(next.map((n) => [n.roleId, n.kind, n.rank])).toEqual([
      ['team-lead', 'cross-path', 2],
      ['automation-engineer', 'cross-path', 3],
      ['manager', 'cross-path', 3],
      ['staff-engineer', 'promotion', 3],
    ]);
  });

  it('coming from the IC path, Manager needs coaching or people-management evidence', () => {
    const without = eligibility({
      framework,
      employee: omar().record(),
      targetRoleId: 'manager',
      asOf: '2026-02-01',
      openings,
    });
    expect(without.eligible).toBe(false);
    expect(without.requirements.map((r) => [r.requirementId, r.status])).toEqual([
      ['documented-need', 'met'],
      ['time-at-level-2', 'met'],
      ['coaching-or-people-management', 'unmet'],
      ['peer-review', 'met'],
    ]);
    const story = omar().add('CoachingEvidenceRecorded', {
      description: 'Mentored two new hires to independence',
      effectiveDate: '2025-06-01',
    });
    expect(
      eligibility({
        framework,
        employee: story.record(),
        targetRoleId: 'manager',
        asOf: '2026-02-01',
        openings,
      }).eligible,
    ).toBe(true);
  });

  it('coming from Team Lead, the coaching rule does not apply, and time at Level 2 spans both roles', () => {
    const story = new EmployeeStory('pia', {
      effectiveDate: '2022-02-01',
      team: 'support-emea',
      frameworkId: 'customer-engineering-ladder',
      track: 'core',
      roleId: 'customer-engineer',
    })
      .add('LevelChanged', { roleId: 'senior-engineer', track: 'ic', effectiveDate: '2025-01-06' })
      .add('TrackChanged', { track: 'management', roleId: 'team-lead', effectiveDate: '2025-07-07' })
      .add('PeerReviewRecorded', {
        targetRoleId: 'manager',
        outcome: 'passed',
        date: '2026-01-10',
        effectiveDate: '2026-01-10',
      });
    const result = eligibility({
      framework,
      employee: story.record(),
      targetRoleId: 'manager',
      asOf: '2026-02-01',
      openings,
    });
    expect(result.eligible).toBe(true);
    expect(result.requirements[1].evidence).toMatchObject({
      since: '2025-01-06',
      months: 12,
      summary: '12 months at Level 2 since 2025-01-06',
    });
    expect(result.requirements[2].evidence).toMatchObject({ notApplicable: true });
  });

  it('a Senior Engineer moving to Team Lead has served the year at Level 1 already', () => {
    const result = eligibility({
      framework,
      employee: omar().record(),
      targetRoleId: 'team-lead',
      asOf: '2026-02-01',
      openings,
    });
    expect(result.requirements[1]).toMatchObject({
      status: 'met',
      evidence: { summary: 'already Senior Engineer (Level 2), above Level 1' },
    });
  });

  it('a role the employee already holds is blocked, not evaluated as a move', () => {
    const result = eligibility({
      framework,
      employee: omar().record(),
      targetRoleId: 'senior-engineer',
      asOf: '2026-02-01',
    });
    expect(result).toMatchObject({ eligible: false, blockers: ['already Senior Engineer'] });
  });
});

describe('a Customer Engineer in the core role', () => {
  it('chooses between the IC path and the management path: both next levels are promotions', () => {
    const tess = new EmployeeStory('tess', {
      effectiveDate: '2025-01-06',
      team: 'support-emea',
      frameworkId: 'customer-engineering-ladder',
      track: 'core',
      roleId: 'customer-engineer',
    });
    const next = nextRoles({ framework, employee: tess.record(), asOf: '2026-02-01' });
    expect(next.map((n) => [n.roleId, n.kind, n.changesTrack, n.result.eligible])).toEqual([
      ['senior-engineer', 'promotion', true, false],
      ['team-lead', 'promotion', true, false],
    ]);
    expect(next[0].result.requirements.map((r) => r.missing ?? 'met')).toEqual([
      'met',
      '2 more SME skillsets',
      'a successful peer review for Senior Engineer',
    ]);
  });
});
