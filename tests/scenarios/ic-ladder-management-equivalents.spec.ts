// Seed 004: Associate CE, CE, Senior CE (management equivalent: Manager), Lead CE (Senior Manager), on
// four axes. The seed sets no promotion requirements: every next title is open, decided in calibration.
import { nextRoles } from '@talent/career-framework';
import { loadFramework } from './support/frameworks.js';
import { EmployeeStory } from './support/employees.js';

const framework = loadFramework('icEquivalents');

describe('the IC ladder with management equivalents', () => {
  it('maps Senior CE to Manager and Lead CE to Senior Manager', () => {
    const equivalent = (roleId: string): string | null | undefined =>
      framework.managementEquivalents.find((m) => m.roleId === roleId)?.equivalentTitle;
    expect(equivalent('senior-customer-engineer')).toBe('Manager');
    expect(equivalent('lead-customer-engineer')).toBe('Senior Manager');
    expect(equivalent('associate-customer-engineer')).toBeNull();
  });

  it('a Customer Engineer has Senior CE next, with no requirements of the ladder to meet', () => {
    const sam = new EmployeeStory('sam', {
      effectiveDate: '2024-03-04',
      team: 'ce',
      frameworkId: 'ic-ladder-management-equivalents',
      track: 'ic',
      roleId: 'customer-engineer',
    });
    const next = nextRoles({ framework, employee: sam.record(), asOf: '2025-01-01' });
    expect(next.map((n) => [n.roleId, n.title, n.result.eligible, n.result.requirements.length])).toEqual([
      ['senior-customer-engineer', 'Senior Customer Engineer', true, 0],
    ]);
  });
});
