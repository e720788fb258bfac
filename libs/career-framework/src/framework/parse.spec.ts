import { stringify } from 'yaml';
import { parseFramework } from './parse.js';
import { testFramework } from './test-framework.js';
import { issueToString } from '../issues.js';
import type { Issue } from '../issues.js';

type Doc = ReturnType<typeof testFramework> & Record<string, unknown>;
const errorsOf = (input: unknown): string[] => {
  const result = parseFramework(input);
  if (result.ok) throw new Error('expected errors');
  return result.errors.map((e: Issue) => issueToString(e));
};

describe('parseFramework', () => {
  it('accepts a valid document as a value, as YAML text and as JSON text, with defaults filled in', () => {
    for (const input of [testFramework(), stringify(testFramework()), JSON.stringify(testFramework())]) {
      const result = parseFramework(input);
      expect(result.ok).toBe(true);
      if (result.ok) {
        expect(result.value.tracks[0].levels[0]).toMatchObject({
          requirements: [],
          expectations: [],
          needsLeadershipApproval: false,
        });
        expect(result.value.reviewCadence.time).toBe('09:00');
      }
    }
  });

  it('reports every schema problem with its path', () => {
    const doc = testFramework([
      { id: 'time', kind: 'minTimeAtLevel', months: -3 },
      { id: 'sme', kind: 'smeSkillsets', count: 1.5 },
    ]) as Doc;
    doc.version = 0;
    (doc.tracks[0] as Record<string, unknown>).kind = 'sideways';
    delete (doc as Record<string, unknown>).name;
    expect(errorsOf(doc)).toEqual([
      'name: expected string, received undefined',
      'version: expected a positive integer',
      'tracks[0].kind: Invalid option: expected one of "core"|"ic"|"management"|"alternative"',
      'tracks[1].levels[0].requirements[0].months: expected a positive integer',
      'tracks[1].levels[0].requirements[1].count: expected a positive integer',
    ]);
  });

  it('names an unknown requirement kind and unknown fields', () => {
    const doc = testFramework() as Doc;
    (doc.tracks[1].levels[0] as Record<string, unknown>).requirements = [
      { id: 'x', kind: 'vibes' },
      { id: 'y', kind: 'peerReview', reviewers: 3 },
    ];
    const errors = errorsOf(doc);
    expect(errors[0]).toMatch(
      /^tracks\[1\]\.levels\[0\]\.requirements\[0\]\.kind: Invalid discriminator value/,
    );
    expect(errors[1]).toBe('tracks[1].levels[0].requirements[1]: unknown field "reviewers"');
  });

  it('validates nested requirements of allOf / anyOf', () => {
    const doc = testFramework([
      {
        id: 'either',
        kind: 'anyOf',
        children: [
          { id: 'c', kind: 'coachingEvidence' },
          { id: 'q', kind: 'consecutiveHighQuarters', count: 0, competencies: ['craft'] },
        ],
      },
    ]);
    expect(errorsOf(doc)).toEqual([
      'tracks[1].levels[0].requirements[0].children[1].count: expected a positive integer',
    ]);
  });

  it('rejects a time zone that is not a real IANA zone', () => {
    const doc = testFramework() as Doc;
    doc.reviewCadence = { ...doc.reviewCadence, timeZone: 'America/Gotham' };
    expect(errorsOf(doc)).toEqual(['reviewCadence.timeZone: expected an IANA time zone']);
  });

  it('checks the cadence has as many months as its kind says', () => {
    const doc = testFramework() as Doc;
    doc.reviewCadence = { ...doc.reviewCadence, months: [1, 4, 7] };
    expect(errorsOf(doc)).toEqual([
      'reviewCadence.months: expected 1 month for annual, 2 for bi-annual, 4 for quarterly',
    ]);
  });

  it('reports semantic problems: duplicate ids, duplicate ranks, dangling references', () => {
    const doc = testFramework([
      { id: 'q', kind: 'consecutiveHighQuarters', count: 4, competencies: ['craft', 'charisma'] },
      { id: 'q', kind: 'smeSkillsets', count: 3, from: ['linux', 'cooking'] },
      { id: 't', kind: 'minTimeAtLevel', months: 12, atRank: 9 },
    ]) as Doc;
    doc.tracks[1].levels.push({ id: 'junior', rank: 3, title: 'Duplicate' });
    doc.tracks[2].levels.push({ id: 'manager', rank: 2, title: 'Manager' });
    doc.designations = [{ id: 'captain', name: 'Captain', eligibleRoleIds: ['senior', 'admiral'] }];
    doc.managementEquivalents = [{ roleId: 'staff', equivalentTitle: 'Manager', equivalentRoleId: 'senior' }];
    (doc.tracks[1].levels[0] as Record<string, unknown>).expectations = [
      { competency: 'craft', area: 'speed', behaviours: ['fast'] },
      { value: 'greed', behaviours: [] },
    ];
    expect(errorsOf(doc)).toEqual([
      'tracks[1].levels[2].id: duplicate role or designation id "junior" (first at index 0)',
      'tracks[1].levels[2].rank: duplicate rank within track "3" (first at index 1)',
      'tracks[2].levels[1].rank: duplicate rank within track "2" (first at index 0)',
      'tracks[1].levels[0].requirements[1].id: duplicate requirement id "q" (first at index 0)',
      'tracks[1].levels[0].requirements[0].competencies[1]: unknown competency "charisma"',
      'tracks[1].levels[0].requirements[1].from[1]: unknown skillset "cooking"',
      'tracks[1].levels[0].requirements[1].count: needs 3 skillsets but only 2 are listed in "from"',
      'tracks[1].levels[0].requirements[2].atRank: no role has rank 9',
      'tracks[1].levels[0].expectations[0].area: competency "craft" has no responsibility area "speed"',
      'tracks[1].levels[0].expectations[1].value: unknown value "greed"',
      'designations[0].eligibleRoleIds[1]: unknown role "admiral"',
      'managementEquivalents[0].equivalentRoleId: "senior" is not a role on a management track',
    ]);
  });

  it('requirement ids must be unique within a role, children included', () => {
    const doc = testFramework([
      { id: 'a', kind: 'peerReview' },
      { id: 'b', kind: 'allOf', children: [{ id: 'a', kind: 'documentedNeed' }] },
    ]);
    expect(errorsOf(doc)).toEqual([
      'tracks[1].levels[0].requirements[1].children[0].id: duplicate requirement id "a" (first at index 0)',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const errors = errorsOf('id: x\nname: [unclosed\nversion: 1\n');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^YAML [A-Z_]+ at line \d+, column \d+: /);
    expect(errorsOf('id: x\nname:\n  - a\n b: 1\n')[0]).toMatch(/^YAML [A-Z_]+ at line 4, column \d+: /);
    expect(errorsOf('id: a\nid: b\n')[0]).toMatch(/^YAML DUPLICATE_KEY/);
  });

  it('rejects a non-object input', () => {
    expect(errorsOf(42)).toEqual(['expected object, received number']);
    expect(errorsOf('just a string')).toEqual(['expected object, received string']);
  });
});
