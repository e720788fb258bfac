// Seeds 001/003: promotion needs at least 4 consecutive quarters of high performance at the current
// level AND at least one quarter at the next level, in all three core competencies.
import { eligibility, nextRoles } from '@talent/career-framework';
import { loadFramework } from './support/frameworks.js';
import { EmployeeStory } from './support/employees.js';

const framework = loadFramework('ce');
const core = ['leadership', 'business', 'technology'];

const hana = (): EmployeeStory =>
  new EmployeeStory('hana', {
    effectiveDate: '2024-01-08',
    team: 'ce-global',
    frameworkId: 'ce-career-development',
    track: 'ic',
    roleId: 'IC2',
  })
    .rate(['2024-Q1', '2024-Q2'], 'high', core)
    .add('QuarterlyRatingRecorded', {
      quarter: '2024-Q3',
      effectiveDate: '2024-10-01',
      ratings: { leadership: 'high', business: 'meets', technology: 'high' },
    })
    .rate(['2024-Q4', '2025-Q1', '2025-Q2'], 'high', core);

describe('Hana, IC2, whose 2024-Q3 business rating was only "meets"', () => {
  it('has her count restarted by 2024-Q3: three consecutive high quarters by mid 2025', () => {
    const result = eligibility({
      framework,
      employee: hana().record(),
      targetRoleId: 'IC3',
      asOf: '2025-07-15',
    });
    expect(result.eligible).toBe(false);
    const [streak, nextLevel] = result.requirements;
    expect(streak).toMatchObject({
      requirementId: 'consecutive-high-quarters',
      status: 'unmet',
      missing: '1 more consecutive high quarter in leadership, business and technology',
      evidence: { quarters: ['2024-Q4', '2025-Q1', '2025-Q2'] },
    });
    expect(streak.evidence.summary).toContain('2024-Q3 rated below high in business');
    expect(nextLevel).toMatchObject({
      status: 'unmet',
      missing: '1 more quarter performing at the next level in leadership, business and technology',
    });
  });

  it('is eligible once 2025-Q3 completes at the next level (at-next-level counts as high)', () => {
    const story = hana().rate(['2025-Q3'], 'at-next-level', core);
    const afterRating = eligibility({
      framework,
      employee: story.record(),
      targetRoleId: 'IC3',
      asOf: '2025-10-01',
    });
    expect(afterRating.eligible).toBe(true);
    expect(afterRating.requirements[0].evidence.quarters).toEqual([
      '2024-Q4',
      '2025-Q1',
      '2025-Q2',
      '2025-Q3',
    ]);
    expect(afterRating.requirements[1].evidence.quarters).toEqual(['2025-Q3']);
  });

  it('counts only completed quarters: a rating for the running quarter does not count yet', () => {
    // the Q3 rating is recorded early (effective 2025-09-20) but Q3 completes on 2025-09-30
    const story = hana().add('QuarterlyRatingRecorded', {
      quarter: '2025-Q3',
      effectiveDate: '2025-09-20',
      ratings: { leadership: 'at-next-level', business: 'at-next-level', technology: 'at-next-level' },
    });
    expect(
      eligibility({ framework, employee: story.record(), targetRoleId: 'IC3', asOf: '2025-09-29' }).eligible,
    ).toBe(false);
    expect(
      eligibility({ framework, employee: story.record(), targetRoleId: 'IC3', asOf: '2025-09-30' }).eligible,
    ).toBe(true);
  });

  it('a missing rating also ends the streak', () => {
    const story = new EmployeeStory('ivo', {
      effectiveDate: '2024-01-08',
      team: 'ce-global',
      frameworkId: 'ce-career-development',
      track: 'ic',
      roleId: 'IC2',
    }).rate(['2024-Q1', '2024-Q2', '2024-Q4', '2025-Q1'], 'high', core);
    const result = eligibility({
      framework,
      employee: story.record(),
      targetRoleId: 'IC3',
      asOf: '2025-04-02',
    });
    expect(result.requirements[0]).toMatchObject({
      status: 'unmet',
      evidence: { quarters: ['2024-Q4', '2025-Q1'] },
    });
    expect(result.requirements[0].evidence.summary).toContain('no rating recorded for 2024-Q3');
  });

  it('quarters rated before a promotion do not count at the new level', () => {
    const story = hana()
      .rate(['2025-Q3'], 'at-next-level', core)
      .add('LevelChanged', { roleId: 'IC3', effectiveDate: '2025-10-15' });
    const result = eligibility({
      framework,
      employee: story.record(),
      targetRoleId: 'IC4',
      asOf: '2026-01-05',
    });
    expect(result.requirements[0]).toMatchObject({ status: 'unmet', evidence: { quarters: [] } });
    expect(result.requirements[0].missing).toBe(
      '4 more consecutive high quarters in leadership, business and technology',
    );
  });

  it('next roles from IC2: only IC3 (the CE framework has one track and IC2 is not a senior IC)', () => {
    const next = nextRoles({ framework, employee: hana().record(), asOf: '2025-07-15' });
    expect(next.map((n) => [n.roleId, n.kind, n.result.eligible])).toEqual([['IC3', 'promotion', false]]);
  });
});
