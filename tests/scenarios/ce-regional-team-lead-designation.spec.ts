// Seed 003: "Team Leads are specially designated senior ICs ... not full-time managers". A designation is
// not a level: it needs a senior IC (IC3 and above), a peer review and leadership approval.
import { eligibility, employeeAsOf, nextRoles } from '@talent/career-framework';
import { loadFramework } from './support/frameworks.js';
import { EmployeeStory } from './support/employees.js';

const framework = loadFramework('ce');

const story = (roleId: string): EmployeeStory =>
  new EmployeeStory('quinn', {
    effectiveDate: '2023-01-09',
    team: 'ce-emea',
    frameworkId: 'ce-career-development',
    track: 'ic',
    roleId,
  });

describe('the Regional Team Lead designation', () => {
  it('is not open to an IC2', () => {
    const result = eligibility({
      framework,
      employee: story('IC2').record(),
      targetRoleId: 'regional-team-lead',
      asOf: '2025-01-01',
    });
    expect(result.targetKind).toBe('designation');
    expect(result.eligible).toBe(false);
    expect(result.blockers).toEqual([
      'Regional Team Lead is for Senior Customer Engineer, Senior Customer Engineer, Principal Customer Engineer and Senior Principal Customer Engineer / Field CTO; currently Customer Engineer',
    ]);
  });

  it('is open to a Senior CE (IC3) with a successful peer review, and appears among next roles', () => {
    const quinn = story('IC3').add('PeerReviewRecorded', {
      targetRoleId: 'regional-team-lead',
      outcome: 'passed',
      date: '2024-12-12',
      effectiveDate: '2024-12-12',
    });
    const result = eligibility({
      framework,
      employee: quinn.record(),
      targetRoleId: 'regional-team-lead',
      asOf: '2025-01-01',
    });
    expect(result.eligible).toBe(true);
    const next = nextRoles({ framework, employee: quinn.record(), asOf: '2025-01-01' });
    expect(next.map((n) => [n.roleId, n.kind, n.result.eligible])).toEqual([
      ['IC4', 'promotion', false],
      ['regional-team-lead', 'designation', true],
    ]);
  });

  it('once granted it is held (and no longer offered) until it ends; the level does not change', () => {
    const quinn = story('IC4')
      .add('DesignationGranted', {
        designation: 'regional-team-lead',
        team: 'ce-emea',
        effectiveDate: '2025-02-01',
      })
      .add('DesignationEnded', {
        designation: 'regional-team-lead',
        team: 'ce-emea',
        effectiveDate: '2025-08-01',
      });
    const during = employeeAsOf(quinn.record(), '2025-03-01')!;
    expect(during.roleId).toBe('IC4');
    expect(during.designations).toEqual([
      { designation: 'regional-team-lead', team: 'ce-emea', since: '2025-02-01' },
    ]);
    expect(
      nextRoles({ framework, employee: quinn.record(), asOf: '2025-03-01' }).map((n) => n.roleId),
    ).toEqual(['IC5']);
    expect(
      eligibility({
        framework,
        employee: quinn.record(),
        targetRoleId: 'regional-team-lead',
        asOf: '2025-03-01',
      }).blockers,
    ).toEqual(['already holds Regional Team Lead']);
    expect(employeeAsOf(quinn.record(), '2025-08-01')!.designations).toEqual([]);
  });
});
