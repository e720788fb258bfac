// Seed 002, management path: Team Lead (Level 2) needs a documented need for the role, 1 year at
// Level 1, documented coaching success OR past people management, and a successful peer review.
import { eligibility } from '@talent/career-framework';
import type { RoleOpening } from '@talent/career-framework';
import { loadFramework } from './support/frameworks.js';
import { EmployeeStory } from './support/employees.js';

const framework = loadFramework('ladder');

const strong = (): EmployeeStory =>
  new EmployeeStory('farah', {
    effectiveDate: '2023-03-01',
    team: 'support-amer',
    frameworkId: 'customer-engineering-ladder',
    track: 'core',
    roleId: 'customer-engineer',
  })
    .add('SmeSkillsetCertified', { skillset: 'networking', effectiveDate: '2023-09-01' })
    .add('SmeSkillsetCertified', { skillset: 'linux', effectiveDate: '2023-10-01' })
    .add('CoachingEvidenceRecorded', {
      description: 'Onboarded three new engineers in 2024',
      effectiveDate: '2024-12-01',
    })
    .add('PeerReviewRecorded', {
      targetRoleId: 'team-lead',
      outcome: 'passed',
      date: '2025-02-01',
      effectiveDate: '2025-02-01',
    });

const asOf = '2025-03-01';

describe('Farah, a strong Customer Engineer, and the Team Lead role', () => {
  it('is unmet without an approved documented need, however strong the record', () => {
    const result = eligibility({
      framework,
      employee: strong().record(),
      targetRoleId: 'team-lead',
      asOf,
      openings: [],
    });
    expect(result.eligible).toBe(false);
    expect(result.requirements.map((r) => [r.requirementId, r.status])).toEqual([
      ['documented-need', 'unmet'],
      ['time-at-level-1', 'met'],
      ['coaching-or-people-management', 'met'],
      ['peer-review', 'met'],
    ]);
    expect(result.requirements[0].missing).toBe(
      'an approved, open role opening (documented need) for Team Lead',
    );
  });

  it('drafts, cancelled openings, openings approved later and openings of another team do not count', () => {
    const openings: RoleOpening[] = [
      { openingId: 'op-draft', roleId: 'team-lead', approvedAt: '2025-01-01', status: 'submitted' },
      { openingId: 'op-cancelled', roleId: 'team-lead', approvedAt: '2025-01-01', status: 'cancelled' },
      { openingId: 'op-later', roleId: 'team-lead', approvedAt: '2025-03-02', status: 'open' },
      { openingId: 'op-manager', roleId: 'manager', approvedAt: '2025-01-01', status: 'open' },
      {
        openingId: 'op-apac',
        roleId: 'team-lead',
        team: 'support-apac',
        approvedAt: '2025-01-01',
        status: 'open',
      },
    ];
    const result = eligibility({
      framework,
      employee: strong().record(),
      targetRoleId: 'team-lead',
      asOf,
      openings,
    });
    expect(result.eligible).toBe(false);
    expect(result.requirements[0]).toMatchObject({
      status: 'unmet',
      missing: 'an approved, open role opening (documented need) for Team Lead on team support-amer',
      evidence: { summary: 'open only for other teams: op-apac (team support-apac)' },
    });
  });

  it('becomes eligible once leadership approves an opening for her team', () => {
    const openings: RoleOpening[] = [
      {
        openingId: 'op-amer-tl',
        roleId: 'team-lead',
        team: 'support-amer',
        approvedAt: '2025-02-20',
        status: 'open',
      },
    ];
    const result = eligibility({
      framework,
      employee: strong().record(),
      targetRoleId: 'team-lead',
      asOf,
      openings,
    });
    expect(result.eligible).toBe(true);
    expect(result.requirements[0].evidence).toMatchObject({ openingId: 'op-amer-tl' });
    // the anyOf shows which branch carried it
    expect(result.requirements[2].children!.map((c) => [c.requirementId, c.status])).toEqual([
      ['coaching-evidence', 'met'],
      ['people-management-experience', 'unmet'],
    ]);
  });

  it('past people management is the other way to meet the coaching requirement', () => {
    const story = new EmployeeStory('gus', {
      effectiveDate: '2023-03-01',
      team: 'support-amer',
      frameworkId: 'customer-engineering-ladder',
      track: 'core',
      roleId: 'customer-engineer',
    });
    const before = eligibility({ framework, employee: story.record(), targetRoleId: 'team-lead', asOf });
    expect(before.requirements[2]).toMatchObject({
      status: 'unmet',
      missing: 'documented success in peer onboarding/coaching, or past experience in people management',
    });
    story.add('PeopleManagementExperienceRecorded', {
      description: 'Led a team of five at a previous employer',
      months: 30,
      effectiveDate: '2023-03-01',
    });
    const after = eligibility({ framework, employee: story.record(), targetRoleId: 'team-lead', asOf });
    expect(after.requirements[2].status).toBe('met');
    expect(after.requirements[2].children![1].evidence.records).toHaveLength(1);
  });
});
