// Facts carry an effective date that may be earlier than when they were recorded. Rules evaluate as of
// a date from the facts effective on or before it, so a fact recorded late changes the answers for
// every date after it takes effect (and none before).
import { eligibility, foldEmployeeFacts } from '@talent/career-framework';
import { loadFramework } from './support/frameworks.js';
import { EmployeeStory } from './support/employees.js';

const framework = loadFramework('ladder');

const base = (): EmployeeStory =>
  new EmployeeStory('jo', {
    effectiveDate: '2024-06-03',
    team: 'support-emea',
    frameworkId: 'customer-engineering-ladder',
    track: 'core',
    roleId: 'customer-engineer',
  })
    .add('SmeSkillsetCertified', { skillset: 'networking', effectiveDate: '2024-11-01' })
    .add('PeerReviewRecorded', {
      targetRoleId: 'senior-engineer',
      outcome: 'passed',
      date: '2025-06-10',
      effectiveDate: '2025-06-10',
    });

describe('Jo, whose Linux certification from 2025-03-01 was only entered in September', () => {
  it('before the late entry, Jo lacks one skillset on 2025-07-01', () => {
    const result = eligibility({
      framework,
      employee: base().record(),
      targetRoleId: 'senior-engineer',
      asOf: '2025-07-01',
    });
    expect(result.eligible).toBe(false);
    expect(result.requirements[1].missing).toBe('1 more SME skillset');
  });

  it('after the late entry, the same question about 2025-07-01 is answered differently', () => {
    const story = base().add('SmeSkillsetCertified', { skillset: 'linux', effectiveDate: '2025-03-01' });
    const employee = story.record();
    expect(
      eligibility({ framework, employee, targetRoleId: 'senior-engineer', asOf: '2025-07-01' }).eligible,
    ).toBe(true);
    // but not for dates before it took effect
    const before = eligibility({ framework, employee, targetRoleId: 'senior-engineer', asOf: '2025-02-28' });
    expect(before.requirements[1].missing).toBe('1 more SME skillset');
  });

  it('a backdated team-and-level history is applied in effective-date order, not recording order', () => {
    // recorded: hire, then (much later) a level change backdated to 2025-01-01
    const story = base().add('LevelChanged', {
      roleId: 'senior-engineer',
      track: 'ic',
      effectiveDate: '2025-01-01',
    });
    const employee = foldEmployeeFacts(story.events);
    const asSenior = eligibility({ framework, employee, targetRoleId: 'staff-engineer', asOf: '2026-01-01' });
    expect(asSenior.currentRoleId).toBe('senior-engineer');
    expect(asSenior.requirements[0].evidence).toMatchObject({ since: '2025-01-01', months: 12 });
    const earlier = eligibility({ framework, employee, targetRoleId: 'senior-engineer', asOf: '2024-12-31' });
    expect(earlier.currentRoleId).toBe('customer-engineer');
  });
});
