// Every requirement kind: met, unmet, and the edge of its boundary. A synthetic framework whose
// Senior role (rank 2) carries exactly the requirement under test; the employee starts as Junior.
import { eligibility } from './eligibility.js';
import type { EligibilityResult, GrantedWaiver, RequirementResult, RoleOpening } from './types.js';
import { parseFramework } from '../framework/parse.js';
import type { FrameworkDocument, Requirement } from '../framework/schema.js';
import { testFramework } from '../framework/test-framework.js';
import { foldEmployeeFacts } from '../employee/record.js';
import type { EmployeeFactData, EmployeeFactEvent, EmployeeFactType } from '../employee/events.js';
import { InvalidDateError } from '../errors.js';

function framework(...requirements: Requirement[]): FrameworkDocument {
  const result = parseFramework(testFramework(requirements));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

type Fact = { [K in EmployeeFactType]: [K, Omit<EmployeeFactData<K>, 'employeeId'>] }[EmployeeFactType];

function employee(...facts: Fact[]): ReturnType<typeof foldEmployeeFacts> {
  const hire: EmployeeFactEvent = {
    type: 'EmployeeHired',
    data: {
      employeeId: 'e1',
      name: 'Ana',
      email: 'ana@example.com',
      team: 'blue',
      frameworkId: 'test-fw',
      track: 'core',
      roleId: 'junior',
      effectiveDate: '2025-01-10',
    },
  };
  return foldEmployeeFacts([
    hire,
    ...facts.map(([type, data]) => ({ type, data: { ...data, employeeId: 'e1' } }) as EmployeeFactEvent),
  ]);
}

function check(
  requirement: Requirement,
  asOf: string,
  facts: Fact[] = [],
  extra: { openings?: RoleOpening[]; waivers?: GrantedWaiver[]; targetRoleId?: string } = {},
): RequirementResult & { result: EligibilityResult } {
  const result = eligibility({
    framework: framework(requirement),
    employee: employee(...facts),
    targetRoleId: 'senior',
    asOf,
    ...extra,
  });
  return { ...result.requirements[0], result };
}

// ratings default to effective on the hire date (facts dated before the hire are ignored)
const rate = (quarter: string, craft: string, impact = craft, effectiveDate = '2025-01-10'): Fact => [
  'QuarterlyRatingRecorded',
  {
    quarter,
    effectiveDate,
    ratings: { craft, impact } as Record<string, 'below' | 'meets' | 'high' | 'at-next-level'>,
  },
];

describe('minTimeAtLevel', () => {
  const req: Requirement = { id: 't', kind: 'minTimeAtLevel', months: 12, atRank: 1 };
  it('is met exactly on the anniversary and unmet the day before', () => {
    expect(check(req, '2026-01-10')).toMatchObject({
      status: 'met',
      evidence: { months: 12, since: '2025-01-10' },
    });
    expect(check(req, '2026-01-09')).toMatchObject({
      status: 'unmet',
      missing: '1 month more at Junior (met on 2026-01-10)',
    });
  });
  it('counts from the latest level change, at the current level by default', () => {
    const fw = parseFramework(testFramework([], [{ id: 't', kind: 'minTimeAtLevel', months: 12 }]));
    if (!fw.ok) throw new Error('invalid');
    const promoted = employee([
      'LevelChanged',
      { roleId: 'senior', track: 'ic', effectiveDate: '2025-03-01' },
    ]);
    const at = (asOf: string): RequirementResult =>
      eligibility({ framework: fw.value, employee: promoted, targetRoleId: 'staff', asOf }).requirements[0];
    expect(at('2026-02-28')).toMatchObject({
      status: 'unmet',
      evidence: { since: '2025-03-01', months: 11 },
      missing: '1 month more at Senior (met on 2026-03-01)',
    });
    expect(at('2026-03-01')).toMatchObject({ status: 'met', evidence: { months: 12 } });
  });
  it('is unmet below the required rank and met above it', () => {
    const below = check({ id: 't', kind: 'minTimeAtLevel', months: 6, atRank: 2 }, '2026-01-01');
    expect(below).toMatchObject({
      status: 'unmet',
      missing: 'must reach Level 2 (currently Level 1) and spend 6 months there',
    });
    const fw = parseFramework(
      testFramework([], [{ id: 't', kind: 'minTimeAtLevel', months: 12, atRank: 1 }]),
    );
    if (!fw.ok) throw new Error('invalid');
    const promoted = employee([
      'LevelChanged',
      { roleId: 'senior', track: 'ic', effectiveDate: '2025-03-01' },
    ]);
    const above = eligibility({
      framework: fw.value,
      employee: promoted,
      targetRoleId: 'staff',
      asOf: '2025-04-01',
    }).requirements[0];
    expect(above).toMatchObject({
      status: 'met',
      evidence: { summary: 'already Senior (Level 2), above Level 1' },
    });
  });
  it('a lateral move at the same rank does not restart the time at that level', () => {
    const fw = parseFramework(
      testFramework([], [{ id: 't', kind: 'minTimeAtLevel', months: 12, atRank: 2 }]),
    );
    if (!fw.ok) throw new Error('invalid');
    const moved = employee(
      ['LevelChanged', { roleId: 'senior', track: 'ic', effectiveDate: '2025-03-01' }],
      ['TrackChanged', { roleId: 'lead', track: 'mgmt', effectiveDate: '2025-09-01' }],
    );
    const r = eligibility({ framework: fw.value, employee: moved, targetRoleId: 'staff', asOf: '2026-03-01' })
      .requirements[0];
    expect(r).toMatchObject({
      status: 'met',
      evidence: { since: '2025-03-01', months: 12, summary: '12 months at Level 2 since 2025-03-01' },
    });
  });
});

describe('minTenureOnTeam', () => {
  const req: Requirement = { id: 'team', kind: 'minTenureOnTeam', months: 24 };
  it('counts from the hire or the latest team change', () => {
    expect(check(req, '2027-01-10').status).toBe('met');
    expect(check(req, '2027-01-09')).toMatchObject({
      status: 'unmet',
      missing: '1 month more on team blue (met on 2027-01-10)',
    });
    const moved = check(req, '2027-01-10', [['TeamChanged', { team: 'green', effectiveDate: '2026-01-01' }]]);
    expect(moved).toMatchObject({
      status: 'unmet',
      missing: '12 months more on team green (met on 2028-01-01)',
    });
    // a "change" to the same team does not restart the clock
    expect(
      check(req, '2027-01-10', [
        ['TeamChanged', { team: 'blue', managerId: 'm9', effectiveDate: '2026-01-01' }],
      ]).status,
    ).toBe('met');
  });
});

describe('consecutiveHighQuarters', () => {
  const req: Requirement = {
    id: 'q',
    kind: 'consecutiveHighQuarters',
    count: 2,
    competencies: ['craft', 'impact'],
  };
  it('is met with enough high (or at-next-level) completed quarters', () => {
    const facts = [rate('2025-Q1', 'high'), rate('2025-Q2', 'at-next-level', 'high')];
    expect(check(req, '2025-06-30', facts)).toMatchObject({
      status: 'met',
      evidence: { quarters: ['2025-Q1', '2025-Q2'] },
    });
    // the day before Q2 completes, only Q1 counts
    expect(check(req, '2025-06-29', facts)).toMatchObject({
      status: 'unmet',
      missing: '1 more consecutive high quarter in craft and impact',
    });
  });
  it('restarts after a quarter below high in any named competency', () => {
    const facts = [rate('2025-Q1', 'high'), rate('2025-Q2', 'high', 'meets'), rate('2025-Q3', 'high')];
    const r = check(req, '2025-10-01', facts);
    expect(r).toMatchObject({ status: 'unmet', evidence: { quarters: ['2025-Q3'] } });
    expect(r.evidence.summary).toBe(
      '1 consecutive high quarter: 2025-Q3 (before that, 2025-Q2 rated below high in impact)',
    );
  });
  it('ignores competencies it does not name, and a missing competency rating is not high', () => {
    const named: Requirement = {
      id: 'q',
      kind: 'consecutiveHighQuarters',
      count: 1,
      competencies: ['craft'],
    };
    expect(check(named, '2025-04-01', [rate('2025-Q1', 'high', 'below')]).status).toBe('met');
    const partial: Fact = [
      'QuarterlyRatingRecorded',
      { quarter: '2025-Q1', effectiveDate: '2025-04-01', ratings: { craft: 'high' } },
    ];
    expect(check(req, '2025-04-01', [partial]).evidence.summary).toContain(
      '2025-Q1 rated below high in impact',
    );
  });
  it('does not see a rating before its effective date', () => {
    const late = rate('2025-Q1', 'high', 'high', '2025-04-15');
    const one: Requirement = { ...req, count: 1 };
    expect(check(one, '2025-04-14', [late]).status).toBe('unmet');
    expect(check(one, '2025-04-15', [late]).status).toBe('met');
  });
});

describe('quartersAtNextLevel', () => {
  const req: Requirement = {
    id: 'n',
    kind: 'quartersAtNextLevel',
    count: 1,
    competencies: ['craft', 'impact'],
  };
  it('needs every named competency at the next level in the same completed quarter', () => {
    expect(check(req, '2025-07-01', [rate('2025-Q2', 'at-next-level')])).toMatchObject({
      status: 'met',
      evidence: { quarters: ['2025-Q2'] },
    });
    expect(check(req, '2025-07-01', [rate('2025-Q2', 'at-next-level', 'high')])).toMatchObject({
      status: 'unmet',
      missing: '1 more quarter performing at the next level in craft and impact',
    });
    expect(check(req, '2025-06-29', [rate('2025-Q2', 'at-next-level')]).status).toBe('unmet');
  });
});

describe('smeSkillsets', () => {
  it('counts certified skillsets, optionally only from a list', () => {
    const any: Requirement = { id: 's', kind: 'smeSkillsets', count: 2 };
    const facts: Fact[] = [
      ['SmeSkillsetCertified', { skillset: 'linux', effectiveDate: '2025-02-01' }],
      ['SmeSkillsetCertified', { skillset: 'automation', effectiveDate: '2025-03-01' }],
    ];
    expect(check(any, '2025-03-01', facts)).toMatchObject({
      status: 'met',
      evidence: { skillsets: ['linux', 'automation'] },
    });
    expect(check(any, '2025-02-28', facts)).toMatchObject({
      status: 'unmet',
      missing: '1 more SME skillset',
    });
    const from: Requirement = { id: 's', kind: 'smeSkillsets', count: 2, from: ['networking', 'linux'] };
    expect(check(from, '2025-03-01', facts)).toMatchObject({
      status: 'unmet',
      missing: '1 more SME skillset from Networking and Linux',
    });
  });
});

describe('peerReview', () => {
  const req: Requirement = { id: 'p', kind: 'peerReview' };
  const review = (outcome: 'passed' | 'failed', date: string, targetRoleId = 'senior'): Fact => [
    'PeerReviewRecorded',
    { targetRoleId, outcome, date, effectiveDate: date },
  ];
  it('takes the latest review for the target role', () => {
    expect(check(req, '2025-06-01', [review('passed', '2025-05-01')]).status).toBe('met');
    expect(
      check(req, '2025-06-01', [review('passed', '2025-05-01'), review('failed', '2025-05-20')]).status,
    ).toBe('unmet');
    expect(
      check(req, '2025-06-01', [review('failed', '2025-05-01'), review('passed', '2025-05-20')]).status,
    ).toBe('met');
    expect(check(req, '2025-06-01', [review('passed', '2025-05-01', 'lead')])).toMatchObject({
      status: 'unmet',
      missing: 'a successful peer review for Senior',
    });
    expect(check(req, '2025-04-30', [review('passed', '2025-05-01')]).status).toBe('unmet');
  });
});

describe('documentedNeed', () => {
  const req: Requirement = { id: 'd', kind: 'documentedNeed' };
  const opening = (o: Partial<RoleOpening>): RoleOpening => ({
    openingId: 'o1',
    roleId: 'senior',
    approvedAt: '2025-05-01',
    status: 'open',
    ...o,
  });
  it('needs an open opening for the role, approved on or before asOf, for the team if it names one', () => {
    expect(check(req, '2025-05-01', [], { openings: [opening({})] })).toMatchObject({
      status: 'met',
      evidence: { openingId: 'o1' },
    });
    expect(check(req, '2025-04-30', [], { openings: [opening({})] }).status).toBe('unmet');
    expect(check(req, '2025-06-01', [], { openings: [opening({ status: 'filled' })] }).status).toBe('unmet');
    expect(check(req, '2025-06-01', [], { openings: [opening({ roleId: 'lead' })] }).status).toBe('unmet');
    expect(check(req, '2025-06-01', [], { openings: [opening({ team: 'green' })] }).status).toBe('unmet');
    expect(check(req, '2025-06-01', [], { openings: [opening({ team: 'blue' })] }).status).toBe('met');
  });
  it('picks the earliest approved opening deterministically', () => {
    const openings = [
      opening({ openingId: 'o2', approvedAt: '2025-05-02' }),
      opening({ openingId: 'o3' }),
      opening({ openingId: 'o1' }),
    ];
    expect(check(req, '2025-06-01', [], { openings }).evidence.openingId).toBe('o1');
  });
});

describe('coachingEvidence and peopleManagementExperience', () => {
  it('coaching evidence counts from its effective date', () => {
    const req: Requirement = { id: 'c', kind: 'coachingEvidence' };
    const facts: Fact[] = [
      ['CoachingEvidenceRecorded', { description: 'mentored', effectiveDate: '2025-03-01' }],
    ];
    expect(check(req, '2025-03-01', facts).status).toBe('met');
    expect(check(req, '2025-02-28', facts)).toMatchObject({
      status: 'unmet',
      missing: 'documented success in peer onboarding/coaching',
    });
  });
  it('people-management experience may need a number of months', () => {
    const req: Requirement = { id: 'pm', kind: 'peopleManagementExperience', minMonths: 12 };
    const facts: Fact[] = [
      [
        'PeopleManagementExperienceRecorded',
        { description: 'ran a team', months: 8, effectiveDate: '2025-01-10' },
      ],
      [
        'PeopleManagementExperienceRecorded',
        { description: 'interim lead', months: 4, effectiveDate: '2025-06-01' },
      ],
    ];
    expect(check(req, '2025-06-01', facts)).toMatchObject({ status: 'met', evidence: { months: 12 } });
    expect(check(req, '2025-05-31', facts)).toMatchObject({
      status: 'unmet',
      missing: '4 more months of people-management experience',
    });
    expect(check({ id: 'pm', kind: 'peopleManagementExperience' }, '2025-05-31', facts).status).toBe('met');
    expect(check({ id: 'pm', kind: 'peopleManagementExperience' }, '2025-05-31')).toMatchObject({
      status: 'unmet',
      missing: 'past experience in people management',
    });
  });
});

describe('allOf / anyOf', () => {
  const coaching: Requirement = { id: 'c', kind: 'coachingEvidence' };
  const review: Requirement = { id: 'p', kind: 'peerReview' };
  const fact: Fact = ['CoachingEvidenceRecorded', { description: 'mentored', effectiveDate: '2025-03-01' }];
  it('allOf needs every child, anyOf one', () => {
    const all = check({ id: 'all', kind: 'allOf', children: [coaching, review] }, '2025-06-01', [fact]);
    expect(all).toMatchObject({ status: 'unmet', missing: 'a successful peer review for Senior' });
    expect(all.children!.map((c) => c.status)).toEqual(['met', 'unmet']);
    expect(
      check({ id: 'any', kind: 'anyOf', children: [coaching, review] }, '2025-06-01', [fact]).status,
    ).toBe('met');
    expect(check({ id: 'any', kind: 'anyOf', children: [coaching, review] }, '2025-06-01')).toMatchObject({
      status: 'unmet',
      missing: 'documented success in peer onboarding/coaching, or a successful peer review for Senior',
    });
  });
  it('a waived child counts as met in its parent', () => {
    const waivers: GrantedWaiver[] = [
      { waiverId: 'w', requirementIds: ['s'], roleId: 'senior', grantedBy: 'boss', grantedAt: '2025-01-01' },
    ];
    const r = check(
      { id: 'all', kind: 'allOf', children: [{ id: 's', kind: 'smeSkillsets', count: 1 }] },
      '2025-06-01',
      [],
      { waivers },
    );
    expect(r.status).toBe('met');
    expect(r.children![0]).toMatchObject({
      status: 'waived',
      evidence: { waiver: { waiverId: 'w', grantedBy: 'boss' } },
    });
  });
  it('appliesWhen makes a requirement not applicable for other paths', () => {
    const r = check({ ...coaching, appliesWhen: { fromTrackKinds: ['ic'] } }, '2025-06-01');
    expect(r).toMatchObject({ status: 'met', evidence: { notApplicable: true } });
  });
});

describe('waivers and the waiver policy', () => {
  const waiver = (requirementIds: string[]): GrantedWaiver[] => [
    { waiverId: 'w1', requirementIds, roleId: 'senior', grantedBy: 'vp', grantedAt: '2025-02-01' },
  ];
  it('waives only kinds the policy allows', () => {
    const sme = check({ id: 's', kind: 'smeSkillsets', count: 1 }, '2025-06-01', [], {
      waivers: waiver(['s']),
    });
    expect(sme).toMatchObject({
      status: 'waived',
      evidence: { waiver: { waiverId: 'w1', grantedBy: 'vp', grantedAt: '2025-02-01' } },
    });
    expect(sme.result.eligible).toBe(true);
    const review = check({ id: 'p', kind: 'peerReview' }, '2025-06-01', [], { waivers: waiver(['p']) });
    expect(review).toMatchObject({
      status: 'unmet',
      evidence: { ignoredWaivers: [{ waiverId: 'w1', reason: 'peerReview requirements may not be waived' }] },
    });
  });
  it('a requirement met anyway stays met and says the waiver was not needed', () => {
    const r = check(
      { id: 's', kind: 'smeSkillsets', count: 1 },
      '2025-06-01',
      [['SmeSkillsetCertified', { skillset: 'linux', effectiveDate: '2025-02-01' }]],
      {
        waivers: waiver(['s']),
      },
    );
    expect(r.status).toBe('met');
    expect(r.evidence.summary).toBe('SME in Linux (waiver w1 not needed)');
  });
});

describe('eligibility guards', () => {
  it('blocks unknown targets, employees not yet hired, other frameworks; refuses a bad date', () => {
    const fw = framework();
    expect(
      eligibility({ framework: fw, employee: employee(), targetRoleId: 'ceo', asOf: '2025-06-01' }),
    ).toMatchObject({
      eligible: false,
      blockers: ['framework test-fw v1 has no role or designation "ceo"'],
    });
    expect(
      eligibility({ framework: fw, employee: employee(), targetRoleId: 'senior', asOf: '2025-01-09' }),
    ).toMatchObject({
      eligible: false,
      blockers: ['not employed as of 2025-01-09 (hired 2025-01-10)'],
    });
    expect(
      eligibility({
        framework: { ...fw, id: 'other' },
        employee: employee(),
        targetRoleId: 'senior',
        asOf: '2025-06-01',
      }).blockers,
    ).toEqual(['employee is on framework test-fw, not other']);
    expect(() =>
      eligibility({ framework: fw, employee: employee(), targetRoleId: 'senior', asOf: '2025-6-1' }),
    ).toThrow(InvalidDateError);
  });
  it('is deterministic: same input, same output', () => {
    const fw = framework({ id: 's', kind: 'smeSkillsets', count: 1 });
    const input = { framework: fw, employee: employee(), targetRoleId: 'senior', asOf: '2025-06-01' };
    expect(eligibility(input)).toEqual(eligibility(input));
  });
});

describe('consecutiveHighQuarters: the newest quarter not rated yet', () => {
  const req: Requirement = {
    id: 'q',
    kind: 'consecutiveHighQuarters',
    count: 2,
    competencies: ['craft', 'impact'],
  };
  it('is pending (skipped), not a gap; an older missing quarter is a gap', () => {
    const facts = [rate('2025-Q1', 'high'), rate('2025-Q2', 'high')];
    const r = check(req, '2025-10-03', facts);
    expect(r).toMatchObject({ status: 'met', evidence: { quarters: ['2025-Q1', '2025-Q2'] } });
    expect(r.evidence.summary).toBe('2 consecutive high quarters: 2025-Q1, 2025-Q2; 2025-Q3 not rated yet');
    const gap = check(req, '2026-01-03', facts);
    expect(gap).toMatchObject({ status: 'unmet', evidence: { quarters: [] } });
    expect(gap.evidence.summary).toBe(
      'no consecutive high quarters at the current level (no rating recorded for 2025-Q3); 2025-Q4 not rated yet',
    );
  });
});

describe('a current role the framework does not know', () => {
  it('is a blocker, not a crash', () => {
    const fw = framework();
    const stranger = foldEmployeeFacts([
      {
        type: 'EmployeeHired',
        data: {
          employeeId: 'x',
          name: 'X',
          email: 'x@example.com',
          team: 't',
          frameworkId: 'test-fw',
          track: 'core',
          roleId: 'wizard',
          effectiveDate: '2025-01-01',
        },
      },
    ]);
    expect(
      eligibility({ framework: fw, employee: stranger, targetRoleId: 'senior', asOf: '2025-06-01' }).blockers,
    ).toEqual(['current role "wizard" is not in framework test-fw v1']);
  });
});
