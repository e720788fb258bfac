// Seed 002: "Once an engineer has spent two years with the support team, they may explore other
// opportunities across the company ... pending availability and approval by the other team's leadership."
import { transferEligibility } from '@talent/career-framework';
import { loadFramework } from './support/frameworks.js';
import { EmployeeStory } from './support/employees.js';

const framework = loadFramework('ladder');

const noor = (): EmployeeStory =>
  new EmployeeStory('noor', {
    effectiveDate: '2023-04-17',
    team: 'support-emea',
    managerId: 'mgr-1',
    frameworkId: 'customer-engineering-ladder',
    track: 'core',
    roleId: 'customer-engineer',
  });

describe('Noor, on the support team since 2023-04-17', () => {
  it('may transfer from 2025-04-17 on, pending the receiving team leadership', () => {
    const onTheDay = transferEligibility({ framework, employee: noor().record(), asOf: '2025-04-17' })!;
    expect(onTheDay).toMatchObject({
      eligible: true,
      tenureMonths: 24,
      requiredMonths: 24,
      eligibleOn: '2025-04-17',
      needsReceivingLeadershipApproval: true,
    });
    const dayBefore = transferEligibility({ framework, employee: noor().record(), asOf: '2025-04-16' })!;
    expect(dayBefore).toMatchObject({
      eligible: false,
      tenureMonths: 23,
      missing: '1 more month on team support-emea (met on 2025-04-17)',
    });
  });

  it('a move to another team restarts the two years (a promotion does not)', () => {
    const story = noor()
      .add('LevelChanged', { roleId: 'senior-engineer', track: 'ic', effectiveDate: '2024-07-01' })
      .add('TeamChanged', { team: 'support-amer', managerId: 'mgr-2', effectiveDate: '2024-09-02' });
    const result = transferEligibility({ framework, employee: story.record(), asOf: '2025-04-17' })!;
    expect(result).toMatchObject({
      eligible: false,
      team: 'support-amer',
      teamSince: '2024-09-02',
      eligibleOn: '2026-09-02',
    });
  });

  it('is undefined before the hire date', () => {
    expect(transferEligibility({ framework, employee: noor().record(), asOf: '2023-04-16' })).toBeUndefined();
  });
});
