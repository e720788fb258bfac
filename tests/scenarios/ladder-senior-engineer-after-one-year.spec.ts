// Seed 002, IC path: Senior Engineer (Level 2) needs "1 year at Level 1", "SME in at least two core
// skillsets" and "Successful peer review".
import { eligibility } from '@talent/career-framework';
import type { RequirementResult } from '@talent/career-framework';
import { loadFramework } from './support/frameworks.js';
import { EmployeeStory } from './support/employees.js';

const framework = loadFramework('ladder');
const byId = (requirements: RequirementResult[], id: string): RequirementResult =>
  requirements.find((r) => r.requirementId === id)!;

function dana(): EmployeeStory {
  return new EmployeeStory('dana', {
    effectiveDate: '2025-01-10',
    team: 'support-emea',
    frameworkId: 'customer-engineering-ladder',
    track: 'core',
    roleId: 'customer-engineer',
  })
    .add('SmeSkillsetCertified', { skillset: 'networking', effectiveDate: '2025-05-02' })
    .add('SmeSkillsetCertified', { skillset: 'linux', effectiveDate: '2025-09-15' })
    .add('PeerReviewRecorded', {
      targetRoleId: 'senior-engineer',
      outcome: 'passed',
      date: '2025-12-01',
      effectiveDate: '2025-12-01',
    });
}

describe('Dana, Customer Engineer hired 2025-01-10 with two SME skillsets and a passed peer review', () => {
  it('is eligible for Senior Engineer on 2026-01-10, one year to the day', () => {
    const result = eligibility({
      framework,
      employee: dana().record(),
      targetRoleId: 'senior-engineer',
      asOf: '2026-01-10',
    });
    expect(result.eligible).toBe(true);
    expect(result.requirements.map((r) => [r.requirementId, r.status])).toEqual([
      ['time-at-level-1', 'met'],
      ['sme-skillsets', 'met'],
      ['peer-review', 'met'],
    ]);
    expect(byId(result.requirements, 'time-at-level-1').evidence).toMatchObject({
      since: '2025-01-10',
      months: 12,
      dueOn: '2026-01-10',
    });
    expect(byId(result.requirements, 'sme-skillsets').evidence.skillsets).toEqual(['networking', 'linux']);
    expect(byId(result.requirements, 'peer-review').evidence.peerReview).toEqual({
      targetRoleId: 'senior-engineer',
      outcome: 'passed',
      date: '2025-12-01',
    });
  });

  it('is not eligible the day before, and is told how long is left', () => {
    const result = eligibility({
      framework,
      employee: dana().record(),
      targetRoleId: 'senior-engineer',
      asOf: '2026-01-09',
    });
    expect(result.eligible).toBe(false);
    const time = byId(result.requirements, 'time-at-level-1');
    expect(time.status).toBe('unmet');
    expect(time.missing).toBe('1 month more at Customer Engineer (met on 2026-01-10)');
  });

  it('a month after the hire, 11 months more are needed', () => {
    const result = eligibility({
      framework,
      employee: dana().record(),
      targetRoleId: 'senior-engineer',
      asOf: '2025-02-10',
    });
    expect(byId(result.requirements, 'time-at-level-1').missing).toBe(
      '11 months more at Customer Engineer (met on 2026-01-10)',
    );
    // before the second certification and the peer review, those are missing too
    expect(byId(result.requirements, 'sme-skillsets').missing).toBe('2 more SME skillsets');
    expect(byId(result.requirements, 'peer-review').missing).toBe(
      'a successful peer review for Senior Engineer',
    );
  });

  it('with a single skillset still needs one more', () => {
    const story = new EmployeeStory('eli', {
      effectiveDate: '2025-01-10',
      team: 'support-emea',
      frameworkId: 'customer-engineering-ladder',
      track: 'core',
      roleId: 'customer-engineer',
    })
      .add('SmeSkillsetCertified', { skillset: 'networking', effectiveDate: '2025-05-02' })
      .add('PeerReviewRecorded', {
        targetRoleId: 'senior-engineer',
        outcome: 'passed',
        date: '2025-12-01',
        effectiveDate: '2025-12-01',
      });
    const result = eligibility({
      framework,
      employee: story.record(),
      targetRoleId: 'senior-engineer',
      asOf: '2026-02-01',
    });
    expect(result.eligible).toBe(false);
    expect(byId(result.requirements, 'sme-skillsets')).toMatchObject({
      status: 'unmet',
      missing: '1 more SME skillset',
    });
  });

  it('a failed peer review after a passed one leaves the requirement unmet', () => {
    const story = dana().add('PeerReviewRecorded', {
      targetRoleId: 'senior-engineer',
      outcome: 'failed',
      date: '2026-01-05',
      effectiveDate: '2026-01-05',
    });
    const result = eligibility({
      framework,
      employee: story.record(),
      targetRoleId: 'senior-engineer',
      asOf: '2026-01-10',
    });
    expect(byId(result.requirements, 'peer-review')).toMatchObject({
      status: 'unmet',
      missing: 'a successful peer review for Senior Engineer (the latest, on 2026-01-05, failed)',
    });
  });
});
