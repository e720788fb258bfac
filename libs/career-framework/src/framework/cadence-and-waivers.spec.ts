import { reviewCycleOpenings } from './cadence.js';
import { checkWaiverRequest, findRequirement } from './waivers.js';
import { parseFramework } from './parse.js';
import { testFramework } from './test-framework.js';
import type { FrameworkDocument, ReviewCadence } from './schema.js';

const fw = (): FrameworkDocument => {
  const r = parseFramework(
    testFramework([
      { id: 'time', kind: 'minTimeAtLevel', months: 12, atRank: 1 },
      {
        id: 'either',
        kind: 'anyOf',
        children: [
          { id: 'coach', kind: 'coachingEvidence' },
          { id: 'sme', kind: 'smeSkillsets', count: 1 },
        ],
      },
      { id: 'review', kind: 'peerReview' },
    ]),
  );
  if (!r.ok) throw new Error('invalid');
  return r.value;
};

describe('reviewCycleOpenings', () => {
  const cadence: ReviewCadence = {
    kind: 'bi-annual',
    months: [1, 7],
    day: 15,
    time: '09:00',
    timeZone: 'America/New_York',
    promotionsOnlyInCycle: true,
  };
  it('lists the next openings in the cadence time zone, as UTC instants', () => {
    expect(reviewCycleOpenings(cadence, '2025-11-24T08:00:00Z', 3)).toEqual([
      '2026-01-15T14:00:00Z',
      '2026-07-15T13:00:00Z',
      '2027-01-15T14:00:00Z',
    ]);
  });
  it('is strictly after the given instant', () => {
    expect(reviewCycleOpenings(cadence, '2026-01-15T14:00:00Z')).toEqual(['2026-07-15T13:00:00Z']);
    expect(reviewCycleOpenings(cadence, '2026-01-15T13:59:59Z')).toEqual(['2026-01-15T14:00:00Z']);
    expect(reviewCycleOpenings({ ...cadence, timeZone: 'UTC' }, '2025-12-31T23:00:00-05:00')).toEqual([
      '2026-01-15T09:00:00Z',
    ]);
  });
});

describe('checkWaiverRequest', () => {
  it('accepts waivable requirements of the role with an urgent need, by leadership', () => {
    const r = checkWaiverRequest(fw(), {
      roleId: 'senior',
      requirementIds: ['time', 'sme'],
      urgentNeed: 'coverage gap in APAC',
      approverRole: 'leadership',
    });
    expect(r.ok && r.value.map((x) => x.id)).toEqual(['time', 'sme']);
    expect(findRequirement(fw(), 'senior', 'coach')?.kind).toBe('coachingEvidence');
  });
  it('reports every problem', () => {
    expect(
      checkWaiverRequest(fw(), {
        roleId: 'senior',
        requirementIds: ['review', 'nope'],
        approverRole: 'manager',
      }),
    ).toEqual({
      ok: false,
      errors: [
        { path: 'requirementIds[0]', message: 'peerReview requirements may not be waived' },
        {
          path: 'requirementIds[1]',
          message: '"senior" has no requirement "nope" (it has time, either, coach, sme, review)',
        },
        { path: 'urgentNeed', message: 'a waiver needs the urgent need to fill the role stated' },
        { path: 'approverRole', message: 'only leadership may grant waivers, not manager' },
      ],
    });
    expect(checkWaiverRequest(fw(), { roleId: 'ceo', requirementIds: ['x'] })).toMatchObject({
      ok: false,
      errors: [{ path: 'roleId' }],
    });
    expect(
      checkWaiverRequest(
        { ...fw(), waiverPolicy: undefined },
        { roleId: 'senior', requirementIds: ['time'] },
      ),
    ).toMatchObject({
      ok: false,
      errors: [{ message: 'framework test-fw v1 allows no waivers' }],
    });
  });
});
