import { checkFactAgainstFramework } from './consistency.js';
import type { EmployeeFactEvent } from './events.js';
import { parseFramework } from '../framework/parse.js';
import { testFramework } from '../framework/test-framework.js';

const parsed = parseFramework({
  ...testFramework(),
  designations: [{ id: 'captain', name: 'Captain' }],
});
if (!parsed.ok) throw new Error('invalid');
const fw = parsed.value;
const base = { employeeId: 'e1', effectiveDate: '2025-01-01' };

describe('checkFactAgainstFramework', () => {
  it('accepts facts that fit the framework', () => {
    const facts: EmployeeFactEvent[] = [
      {
        type: 'EmployeeHired',
        data: {
          ...base,
          name: 'A',
          email: 'a@example.com',
          team: 't',
          frameworkId: 'test-fw',
          track: 'core',
          roleId: 'junior',
        },
      },
      { type: 'LevelChanged', data: { ...base, roleId: 'senior', track: 'ic' } },
      { type: 'LevelChanged', data: { ...base, roleId: 'staff' } },
      { type: 'QuarterlyRatingRecorded', data: { ...base, quarter: '2025-Q1', ratings: { craft: 'high' } } },
      { type: 'SmeSkillsetCertified', data: { ...base, skillset: 'linux' } },
      {
        type: 'PeerReviewRecorded',
        data: { ...base, targetRoleId: 'captain', outcome: 'passed', date: '2025-01-01' },
      },
      { type: 'DesignationGranted', data: { ...base, designation: 'captain', team: 't' } },
    ];
    for (const fact of facts) expect(checkFactAgainstFramework(fw, fact)).toEqual([]);
  });

  it('names what does not exist', () => {
    expect(
      checkFactAgainstFramework(fw, {
        type: 'EmployeeHired',
        data: {
          ...base,
          name: 'A',
          email: 'a@example.com',
          team: 't',
          frameworkId: 'other',
          track: 'ic',
          roleId: 'junior',
        },
      }),
    ).toEqual([
      { path: 'data.frameworkId', message: 'expected framework "test-fw", got "other"' },
      { path: 'data.track', message: 'role "junior" is on track "core", not "ic"' },
    ]);
    expect(
      checkFactAgainstFramework(fw, {
        type: 'TrackChanged',
        data: { ...base, roleId: 'ceo', track: 'space' },
      }),
    ).toEqual([
      { path: 'data.roleId', message: 'framework test-fw has no role "ceo"' },
      { path: 'data.track', message: 'framework test-fw has no track "space"' },
    ]);
    expect(
      checkFactAgainstFramework(fw, {
        type: 'QuarterlyRatingRecorded',
        data: { ...base, quarter: '2025-Q1', ratings: { charm: 'high' } },
      }),
    ).toEqual([
      {
        path: 'data.ratings.charm',
        message: 'framework test-fw has no competency "charm" (it has craft, impact)',
      },
    ]);
    expect(
      checkFactAgainstFramework(fw, {
        type: 'SmeSkillsetCertified',
        data: { ...base, skillset: 'cooking' },
      })[0].path,
    ).toBe('data.skillset');
    expect(
      checkFactAgainstFramework(fw, {
        type: 'DesignationEnded',
        data: { ...base, designation: 'admiral', team: 't' },
      })[0].path,
    ).toBe('data.designation');
    expect(
      checkFactAgainstFramework(fw, {
        type: 'PeerReviewRecorded',
        data: { ...base, targetRoleId: 'ceo', outcome: 'failed', date: '2025-01-01' },
      })[0].path,
    ).toBe('data.targetRoleId');
  });
});
