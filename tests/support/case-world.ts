import { jest } from '@jest/globals';
import request from 'supertest';
import type { CaseType } from '@talent/workflows';
import { TokenService } from '../../apps/api/src/auth/token.service.js';
import type { Actor } from '../../apps/api/src/auth/actor.js';
import { startTestApi, type TestApi } from './api.js';
import { publishSeedFrameworks } from './frameworks.js';
import { cases, OrgFactory, type Person } from './org.js';

/**
 * A small organisation for case-workflow suites, shared by every case of a test file:
 *
 * - team `support`: engineers `ce-1` (the subject of most cases) and `ce-2`, both reporting to
 *   manager `mgr-1`, on the customer engineering ladder, hired 2024-01-10 with two SME skillsets and
 *   coaching evidence (eligible for Senior Engineer, Team Lead against an opening, and a transfer
 *   after 24 months); `ic-1`, a Senior CE (IC3) on the CE career framework, for the Team Lead designation;
 *   leadership `lead-support`, and `lead-support-2` (a second leader of the team);
 *   `mgr-lead`, who holds both manager and leadership roles in `support`.
 * - team `platform`: leadership `lead-platform` (receives transfers); team `sales`: manager `mgr-2`
 *   and leadership `lead-sales` (unrelated to every case).
 *
 * Tokens are long-lived so the suites can move the clock forward (see `Clock`).
 */
export const TEAM = { home: 'support', receiving: 'platform', other: 'sales' } as const;
export const LADDER = 'customer-engineering-ladder';
export const CE_FRAMEWORK = 'ce-career-development';

export type PersonKey =
  | 'hr'
  | 'auditor'
  | 'system'
  | 'employee'
  | 'otherEmployee'
  | 'manager'
  | 'otherManager'
  | 'leadership'
  | 'leadership2'
  | 'otherLeadership'
  | 'receivingLeadership'
  | 'managerLeader'
  | 'icEmployee';

const ACTORS: Record<PersonKey, Actor> = {
  hr: { userId: 'hr-1', roles: ['hr'], team: null },
  auditor: { userId: 'aud-1', roles: ['auditor'], team: null },
  system: { userId: 'system', roles: ['system'], team: null },
  employee: { userId: 'ce-1', roles: ['employee'], team: TEAM.home },
  otherEmployee: { userId: 'ce-2', roles: ['employee'], team: TEAM.home },
  icEmployee: { userId: 'ic-1', roles: ['employee'], team: TEAM.home },
  manager: { userId: 'mgr-1', roles: ['manager'], team: TEAM.home },
  otherManager: { userId: 'mgr-2', roles: ['manager'], team: TEAM.other },
  leadership: { userId: 'lead-support', roles: ['leadership'], team: TEAM.home },
  leadership2: { userId: 'lead-support-2', roles: ['leadership'], team: TEAM.home },
  otherLeadership: { userId: 'lead-sales', roles: ['leadership'], team: TEAM.other },
  receivingLeadership: { userId: 'lead-platform', roles: ['leadership'], team: TEAM.receiving },
  managerLeader: { userId: 'mgr-lead', roles: ['manager', 'leadership'], team: TEAM.home },
};

const DAY = 86_400_000;
export const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The API reads "now" from `Date` at the edge. Deadlines (application windows, approval deadlines,
 * effective dates) must be set in the future and the matching timeouts are refused before they are
 * due, so suites move a fake `Date` forward (timers and I/O stay real; time keeps flowing).
 */
export class Clock {
  private installed = false;
  install(): void {
    if (this.installed) return;
    jest.useFakeTimers({
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
      advanceTimers: true,
      now: Date.now(),
    });
    this.installed = true;
  }
  now(): number {
    return Date.now();
  }
  /** Moves the clock to `at` (ISO) plus `ms` if that is later than now; never backwards. */
  passTo(at: string, ms = 1000): void {
    this.install();
    const target = Date.parse(at) + ms;
    if (target > Date.now()) jest.setSystemTime(target);
  }
  advance(ms: number): void {
    this.install();
    jest.setSystemTime(Date.now() + ms);
  }
  uninstall(): void {
    if (this.installed) jest.useRealTimers();
    this.installed = false;
  }
}

export interface CaseWorld {
  api: TestApi;
  c: ReturnType<typeof cases>;
  org: OrgFactory;
  people: Record<PersonKey, Person>;
  actors: Record<PersonKey, Actor>;
  clock: Clock;
  /** an open review cycle (openForNominations) promotions can be calibrated in */
  cycleId: string;
  /** an approved, open Team Lead opening on team support (documented need) */
  openingId: string;
  /** an open IC promotion case of ce-1 (subject for waivers) */
  subjectPromotionId: string;
  eventCount(): Promise<number>;
  streamVersions(caseId: string): Promise<number[]>;
  caseRow(caseId: string): Promise<{ stage: string; version: number } | undefined>;
  token(actor: Actor): string;
  close(): Promise<void>;
}

export const HIRED_ON = '2024-01-10';

function ladderHire(id: string): Record<string, unknown> {
  return {
    facts: [
      {
        type: 'EmployeeHired',
        data: {
          employeeId: id,
          name: `Person ${id}`,
          email: `${id}@example.com`,
          team: TEAM.home,
          managerId: 'mgr-1',
          frameworkId: LADDER,
          track: 'core',
          roleId: 'customer-engineer',
          effectiveDate: HIRED_ON,
        },
      },
      {
        type: 'SmeSkillsetCertified',
        data: { employeeId: id, skillset: 'networking', effectiveDate: '2024-06-01' },
      },
      {
        type: 'SmeSkillsetCertified',
        data: { employeeId: id, skillset: 'linux', effectiveDate: '2024-09-01' },
      },
      {
        type: 'CoachingEvidenceRecorded',
        data: { employeeId: id, description: 'Onboarded two new engineers', effectiveDate: '2024-10-01' },
      },
    ],
  };
}

function icHire(id: string): Record<string, unknown> {
  return {
    facts: [
      {
        type: 'EmployeeHired',
        data: {
          employeeId: id,
          name: `Person ${id}`,
          email: `${id}@example.com`,
          team: TEAM.home,
          managerId: 'mgr-1',
          frameworkId: CE_FRAMEWORK,
          track: 'ic',
          roleId: 'IC3',
          effectiveDate: '2023-03-01',
        },
      },
    ],
  };
}

async function expectStatus(res: request.Response, status: number, what: string): Promise<request.Response> {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** Boots the API on a fresh database, publishes the seed frameworks and hires the organisation. */
export async function startCaseWorld(): Promise<CaseWorld> {
  const api = await startTestApi();
  await publishSeedFrameworks(api);
  const tokens = api.app.get(TokenService);
  const token = (actor: Actor) => tokens.mint(actor, 10 * 365 * 86_400);
  const people = Object.fromEntries(
    Object.entries(ACTORS).map(([k, a]) => [k, { id: a.userId, token: token(a) }]),
  ) as Record<PersonKey, Person>;
  const org = new OrgFactory(api);
  const http = () => request(api.app.getHttpServer());
  for (const [id, body] of [
    ['ce-1', ladderHire('ce-1')],
    ['ce-2', ladderHire('ce-2')],
    ['ic-1', icHire('ic-1')],
  ] as const) {
    await expectStatus(
      await http()
        .post(`/employees/${id}/facts`)
        .set('Authorization', `Bearer ${people.hr.token}`)
        .send(body),
      201,
      `hiring ${id}`,
    );
  }
  const c = cases(api);
  const now = Date.now();
  const cycle = await expectStatus(
    await c.open('/cycles', people.hr, {
      name: 'World cycle',
      frameworkId: LADDER,
      nominationDeadline: iso(now + 300 * DAY),
      calibrationDeadline: iso(now + 330 * DAY),
    }),
    201,
    'creating the world cycle',
  );
  const cycleId = cycle.body.caseId as string;
  await expectStatus(await c.act(cycleId, 'open', people.hr), 200, 'opening the world cycle');

  const opening = await expectStatus(
    await c.open('/openings', people.manager, {
      team: TEAM.home,
      roleId: 'team-lead',
      frameworkId: LADDER,
      justification: 'Two new hires in APAC need a team lead',
    }),
    201,
    'drafting the world opening',
  );
  const openingId = opening.body.caseId as string;
  await expectStatus(await c.act(openingId, 'submit', people.manager), 200, 'submitting the opening');
  await expectStatus(
    await c.act(openingId, 'approve', people.leadership, {
      applicationWindowClosesAt: iso(now + 3650 * DAY),
    }),
    200,
    'approving the opening',
  );
  const subject = await expectStatus(
    await c.open('/cases/promotions', people.manager, {
      employeeId: 'ce-1',
      targetRoleId: 'senior-engineer',
    }),
    201,
    'opening the subject promotion',
  );

  const ds = api.db.dataSource;
  return {
    api,
    c,
    org,
    people,
    actors: ACTORS,
    clock: new Clock(),
    cycleId,
    openingId,
    subjectPromotionId: subject.body.caseId as string,
    token,
    async eventCount() {
      const rows: Array<{ n: number }> = await ds.query('SELECT count(*)::int AS n FROM events');
      return Number(rows[0]?.n);
    },
    async streamVersions(caseId) {
      const rows: Array<{ v: number }> = await ds.query(
        'SELECT stream_version::int AS v FROM events WHERE stream_id = $1 ORDER BY stream_version',
        [caseId],
      );
      return rows.map((r) => Number(r.v));
    },
    async caseRow(caseId) {
      const rows: Array<{ stage: string; version: number }> = await ds.query(
        'SELECT stage, version FROM cases WHERE case_id = $1',
        [caseId],
      );
      const r = rows[0];
      return r ? { stage: r.stage, version: Number(r.version) } : undefined;
    },
    async close() {
      await api.close();
    },
  };
}

/** Where each case type is opened and with which creation action. */
export const CREATION: Record<CaseType, { path: string; action: string }> = {
  promotion: { path: '/cases/promotions', action: 'request' },
  designation: { path: '/cases/team-lead-designations', action: 'nominate' },
  opening: { path: '/openings', action: 'draft' },
  transfer: { path: '/cases/transfers', action: 'request' },
  waiver: { path: '/waivers', action: 'request' },
  reviewCycle: { path: '/cycles', action: 'create' },
};
