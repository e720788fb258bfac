import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFramework } from './parse.js';
import { allRoles } from './lookup.js';
import type { FrameworkDocument } from './schema.js';

const load = (file: string): FrameworkDocument => {
  const text = readFileSync(
    fileURLToPath(new URL(`../../../../frameworks/${file}`, import.meta.url)),
    'utf8',
  );
  const result = parseFramework(text);
  if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
  return result.value;
};

describe('the seed frameworks in frameworks/', () => {
  it('CE career development framework: IC1..IC6, three core competencies, six values, a Regional Team Lead designation', () => {
    const fw = load('ce-career-development.yaml');
    expect(fw.id).toBe('ce-career-development');
    expect(allRoles(fw).map(({ role }) => [role.id, role.rank, role.title])).toEqual([
      ['IC1', 1, 'Customer Engineer'],
      ['IC2', 2, 'Customer Engineer'],
      ['IC3', 3, 'Senior Customer Engineer'],
      ['IC4', 4, 'Senior Customer Engineer'],
      ['IC5', 5, 'Principal Customer Engineer'],
      ['IC6', 6, 'Senior Principal Customer Engineer / Field CTO'],
    ]);
    expect(fw.competencies.map((c) => [c.id, c.responsibilityAreas.length])).toEqual([
      ['leadership', 3],
      ['business', 2],
      ['technology', 2],
    ]);
    expect(fw.values.map((v) => v.name)).toEqual([
      'Customer Drive',
      'High Agency',
      'High Quality',
      'Open & Transparent',
      'Continuously Grow',
      'Work as a Team / Be Welcoming & Inclusive',
    ]);
    // every level carries all 7 responsibility areas and 6 values from the seed 003 table
    for (const { role } of allRoles(fw)) expect(role.expectations).toHaveLength(13);
    const ic1 = allRoles(fw)[0].role;
    expect(ic1.summary).toBe(
      'A Customer Engineer focused on learning, growth, and establishing themselves as a contributing teammate.',
    );
    expect(ic1.expectations[0].behaviours[2]).toBe(
      'Identify the need for help navigating customers political situations.',
    );
    expect(fw.competencies[1].description).toContain('customers’ business'); // mojibake fixed
    expect(JSON.stringify(fw)).not.toMatch(/â€/);
    const ic2 = allRoles(fw)[1].role;
    expect(ic2.requirements).toEqual([
      {
        id: 'consecutive-high-quarters',
        kind: 'consecutiveHighQuarters',
        count: 4,
        competencies: ['leadership', 'business', 'technology'],
      },
      {
        id: 'quarter-at-next-level',
        kind: 'quartersAtNextLevel',
        count: 1,
        competencies: ['leadership', 'business', 'technology'],
      },
    ]);
    expect(fw.designations.map((d) => [d.id, d.name, d.eligibleRoleIds])).toEqual([
      ['regional-team-lead', 'Regional Team Lead', ['IC3', 'IC4', 'IC5', 'IC6']],
    ]);
    expect(fw.designations[0].responsibilities).toHaveLength(4);
    expect(fw.reviewCadence).toMatchObject({
      kind: 'bi-annual',
      months: [1, 7],
      promotionsOnlyInCycle: true,
    });
  });

  it('customer engineering ladder: core, IC, management and alternative paths with their requirement tables', () => {
    const fw = load('customer-engineering-ladder.yaml');
    expect(fw.tracks.map((t) => [t.kind, t.levels.map((r) => `${r.title} (${r.rank})`)])).toEqual([
      ['core', ['Customer Engineer (1)']],
      ['ic', ['Senior Engineer (2)', 'Staff Engineer (3)']],
      ['management', ['Team Lead (2)', 'Manager (3)', 'Senior Manager (4)']],
      ['alternative', ['Automation Engineer (3)']],
    ]);
    const kinds = (id: string): string[] =>
      allRoles(fw)
        .find(({ role }) => role.id === id)!
        .role.requirements.map((r) => `${r.id}:${r.kind}`);
    expect(kinds('senior-engineer')).toEqual([
      'time-at-level-1:minTimeAtLevel',
      'sme-skillsets:smeSkillsets',
      'peer-review:peerReview',
    ]);
    expect(kinds('staff-engineer')).toEqual([
      'time-at-level-2:minTimeAtLevel',
      'sme-skillsets:smeSkillsets',
      'peer-review:peerReview',
    ]);
    expect(kinds('team-lead')).toEqual([
      'documented-need:documentedNeed',
      'time-at-level-1:minTimeAtLevel',
      'coaching-or-people-management:anyOf',
      'peer-review:peerReview',
    ]);
    expect(kinds('senior-manager')[1]).toBe('time-at-level-3:minTimeAtLevel');
    expect(kinds('automation-engineer')).toEqual([
      'documented-need:documentedNeed',
      'time-at-level-2:minTimeAtLevel',
      'sme-automation:smeSkillsets',
      'peer-review:peerReview',
    ]);
    expect(fw.transferPolicy).toMatchObject({
      minTenureOnTeamMonths: 24,
      needsReceivingLeadershipApproval: true,
    });
    expect(fw.waiverPolicy).toMatchObject({ grantedBy: ['leadership'], urgentNeedRequired: true });
    expect(fw.waiverPolicy!.waivableKinds).toContain('documentedNeed');
  });

  it('IC ladder with management equivalents: Associate CE..Lead CE on four axes', () => {
    const fw = load('ic-ladder-management-equivalents.yaml');
    expect(allRoles(fw).map(({ role }) => role.title)).toEqual([
      'Associate Customer Engineer',
      'Customer Engineer',
      'Senior Customer Engineer',
      'Lead Customer Engineer',
    ]);
    expect(fw.competencies.map((c) => c.name)).toEqual([
      'Domain Knowledge',
      'Teaching and Mentoring',
      'Culture and Leadership',
      'Customer Success',
    ]);
    expect(fw.managementEquivalents).toEqual([
      { roleId: 'associate-customer-engineer', equivalentTitle: null },
      { roleId: 'customer-engineer', equivalentTitle: null },
      { roleId: 'senior-customer-engineer', equivalentTitle: 'Manager' },
      { roleId: 'lead-customer-engineer', equivalentTitle: 'Senior Manager' },
    ]);
    const lead = allRoles(fw)[3].role;
    expect(lead.expectations.map((e) => e.behaviours.length)).toEqual([2, 2, 2, 3]);
  });
});
