import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadApiConfig } from '@talent/config';
import type { Actor, Role } from '../auth/actor.js';
import { TokenService } from '../auth/token.service.js';
import { createApiApp } from '../create-app.js';

/**
 * `npm run demo`: a guided tour of the engine against DATABASE_URL (after `npm run build && npm run
 * migrate && npm run frameworks:load`). It boots the API in-process on an ephemeral port, seeds a
 * small organisation for each of the three seed frameworks and walks cases through the real HTTP
 * API, printing who did what, the resulting stage and the eligibility verdicts with their evidence.
 *
 * Every run uses ids of its own (employees, teams) so it can be run again on the same database.
 */
const DAY = 86_400_000;
const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const id = (name: string) => `${name}-${run}`;
const team = (name: string) => `${name}-${run}`;

type Json = Record<string, unknown>;
interface Reply {
  status: number;
  body: Json;
}
interface Person {
  name: string;
  actor: Actor;
  token: string;
}
interface Requirement {
  requirementId: string;
  label?: string;
  status: string;
  missing?: string;
  evidence?: { summary?: string };
}

const out = (line = '') => process.stdout.write(`${line}\n`);
const isoIn = (days: number) => new Date(Date.now() + days * DAY).toISOString();
/** The last `n` completed quarters, oldest first, each with the day after it ended. */
function recentQuarters(n: number): Array<[string, string]> {
  const now = new Date();
  let year = now.getUTCFullYear();
  let q = Math.floor(now.getUTCMonth() / 3) + 1;
  const quarters: Array<[string, string]> = [];
  for (let i = 0; i < n; i++) {
    q -= 1;
    if (q === 0) {
      q = 4;
      year -= 1;
    }
    const next = new Date(Date.UTC(q === 4 ? year + 1 : year, (q * 3) % 12, 1)).toISOString().slice(0, 10);
    quarters.unshift([`${year}-Q${q}`, next]);
  }
  return quarters;
}
const dateAgo = (months: number) => new Date(Date.now() - months * 30.5 * DAY).toISOString().slice(0, 10);

async function main(): Promise<void> {
  const config = loadApiConfig({
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/talent',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    // tokens are minted and verified in this process only
    JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(32).toString('hex'),
    LOG_LEVEL: process.env.DEMO_LOG_LEVEL ?? 'silent',
  });
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const tokens = app.get(TokenService);

  const person = (name: string, userId: string, roles: Role[], teamId: string | null): Person => {
    const actor: Actor = { userId, roles, team: teamId };
    return { name, actor, token: tokens.mint(actor, 3600) };
  };
  const call = async (method: 'GET' | 'POST', path: string, who: Person, body?: Json): Promise<Reply> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${who.token}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
  };
  const message = (r: Reply): string => (typeof r.body.message === 'string' ? r.body.message : '');
  const must = (r: Reply, what: string): Json => {
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${message(r)}`);
    return r.body;
  };

  /** Opens a case and narrates it. */
  const open = async (who: Person, path: string, body: Json, what: string): Promise<string> => {
    const r = must(await call('POST', path, who, body), what);
    out(`  ${who.name} ${what} -> stage ${String(r.stage)}`);
    return String(r.caseId);
  };
  /** Takes an action and narrates the resulting stage. */
  const act = async (who: Person, caseId: string, action: string, body: Json = {}, what = action) => {
    const r = must(
      await call('POST', `/cases/${caseId}/actions/${action}`, who, body),
      `${who.name}: ${what}`,
    );
    out(`  ${who.name} ${what} -> stage ${String(r.stage)}`);
  };
  /** An action expected to be refused, and why. */
  const refused = async (who: Person, path: string, body: Json, what: string) => {
    const r = await call('POST', path, who, body);
    if (r.status < 400) throw new Error(`${what} was expected to be refused but got ${r.status}`);
    out(`  ${who.name} ${what} -> refused ${r.status}: ${message(r)}`);
  };
  const eligibility = async (hr: Person, employeeId: string, name: string, target: string) => {
    const r = must(
      await call('GET', `/employees/${employeeId}/eligibility?target=${target}`, hr),
      `eligibility of ${employeeId}`,
    );
    const reqs = (r.requirements ?? []) as Requirement[];
    out(`  Eligibility of ${name} for ${target}: ${r.eligible ? 'ELIGIBLE' : 'not yet eligible'}`);
    for (const q of reqs) {
      const detail = q.status === 'unmet' ? (q.missing ?? '') : (q.evidence?.summary ?? '');
      out(`    - ${q.requirementId.padEnd(30)} ${q.status.padEnd(7)} ${detail}`);
    }
    for (const b of (r.blockers ?? []) as string[]) out(`    ! ${b}`);
  };
  const hire = async (hr: Person, employeeId: string, facts: Json[]) => {
    must(
      await call('POST', `/employees/${employeeId}/facts`, hr, {
        facts: facts.map((f) => ({ type: f.type, data: { employeeId, ...(f.data as Json) } })),
      }),
      `recording facts of ${employeeId}`,
    );
  };

  try {
    const hr = person('Hana (HR)', id('hana'), ['hr'], null);
    const frameworks = must(await call('GET', '/frameworks', hr), 'listing frameworks') as unknown as Array<{
      frameworkId: string;
    }>;
    const loaded = new Set((Array.isArray(frameworks) ? frameworks : []).map((f) => f.frameworkId));
    for (const fw of [
      'customer-engineering-ladder',
      'ce-career-development',
      'ic-ladder-management-equivalents',
    ])
      if (!loaded.has(fw))
        throw new Error(`framework ${fw} is not published: run npm run frameworks:load first`);
    out(`Demo run ${run} against ${config.DATABASE_URL.replace(/\/\/[^@]*@/, '//')}`);

    // ---------------------------------------------------------------- seed 002
    out();
    out('== Customer Engineering Career Ladder (seed 002) ==');
    const support = team('support');
    const platform = team('platform');
    const maya = person('Maya (manager, support)', id('maya'), ['manager'], support);
    const lee = person('Lee (leadership, support)', id('lee'), ['leadership'], support);
    const pat = person('Pat (leadership, platform)', id('pat'), ['leadership'], platform);
    const ada = person('Ada (customer engineer)', id('ada'), ['employee'], support);
    const ben = person('Ben (customer engineer)', id('ben'), ['employee'], support);
    const hired = (who: Person, since: string) => ({
      type: 'EmployeeHired',
      data: {
        name: who.name.split(' ')[0],
        email: `${who.actor.userId}@example.com`,
        team: support,
        managerId: maya.actor.userId,
        frameworkId: 'customer-engineering-ladder',
        track: 'core',
        roleId: 'customer-engineer',
        effectiveDate: since,
      },
    });
    await hire(hr, ada.actor.userId, [
      hired(ada, '2024-01-10'),
      { type: 'SmeSkillsetCertified', data: { skillset: 'networking', effectiveDate: '2024-06-01' } },
      { type: 'SmeSkillsetCertified', data: { skillset: 'linux', effectiveDate: '2024-09-01' } },
      {
        type: 'CoachingEvidenceRecorded',
        data: { description: 'Onboarded two engineers', effectiveDate: '2024-10-01' },
      },
    ]);
    await hire(hr, ben.actor.userId, [
      hired(ben, dateAgo(6)),
      { type: 'SmeSkillsetCertified', data: { skillset: 'networking', effectiveDate: dateAgo(5) } },
      { type: 'SmeSkillsetCertified', data: { skillset: 'linux', effectiveDate: dateAgo(4) } },
    ]);
    out(
      `  ${hr.name} hired Ada (since 2024-01-10) and Ben (6 months ago) into team ${support}, reporting to Maya`,
    );
    await eligibility(hr, ada.actor.userId, 'Ada', 'senior-engineer');
    await eligibility(hr, ben.actor.userId, 'Ben', 'senior-engineer');
    out('  (the peer review is run inside the promotion case: it stays unmet until the case records one)');

    out();
    out('-- A bi-annual review cycle and an IC-path promotion --');
    const cycle = await open(
      hr,
      '/cycles',
      {
        name: `Demo cycle ${run}`,
        frameworkId: 'customer-engineering-ladder',
        nominationDeadline: isoIn(30),
        calibrationDeadline: isoIn(60),
      },
      'created a review cycle',
    );
    await act(hr, cycle, 'open', {}, 'opened the cycle for nominations');
    const promo = await open(
      maya,
      '/cases/promotions',
      { employeeId: ada.actor.userId, targetRoleId: 'senior-engineer' },
      'requested a Senior Engineer review for Ada',
    );
    await act(maya, promo, 'checkEligibility', {}, 'checked eligibility');
    await act(maya, promo, 'beginReview', {}, 'started evidence & peer review');
    await act(
      maya,
      promo,
      'recordPeerReview',
      { outcome: 'passed', reviewers: [ben.actor.userId] },
      'recorded a passed peer review',
    );
    await act(
      maya,
      promo,
      'recommend',
      { summary: 'Backstop for complex issues; leads knowledge sharing' },
      'recommended',
    );
    await act(maya, promo, 'enterCalibration', { cycleId: cycle }, 'put the case into calibration');
    await refused(
      ada,
      `/cases/${promo}/actions/approve`,
      { effectiveDate: isoIn(30) },
      'tried to approve her own promotion',
    );
    await act(
      hr,
      promo,
      'approve',
      { effectiveDate: isoIn(30) },
      'approved in calibration (effective in 30 days)',
    );

    out();
    out('-- Management path: Team Lead needs a documented need (an approved, open role opening) --');
    await refused(
      maya,
      '/cases/promotions',
      { employeeId: ada.actor.userId, targetRoleId: 'team-lead' },
      'requested a Team Lead review for Ada without an opening',
    );
    const opening = await open(
      maya,
      '/openings',
      {
        team: support,
        roleId: 'team-lead',
        frameworkId: 'customer-engineering-ladder',
        justification: 'Four new hires in APAC need a team lead on their shift',
      },
      'drafted a Team Lead opening',
    );
    await act(maya, opening, 'submit', {}, 'submitted it for leadership approval');
    await act(
      lee,
      opening,
      'approve',
      { applicationWindowClosesAt: isoIn(14) },
      'approved it (applications open for 14 days)',
    );
    await act(
      hr,
      opening,
      'invite',
      { employeeIds: [ada.actor.userId] },
      'invited every eligible employee (Ada)',
    );
    await act(ada, opening, 'apply', {}, 'applied');
    await eligibility(hr, ada.actor.userId, 'Ada', 'team-lead');
    const lead = await open(
      maya,
      '/cases/promotions',
      { employeeId: ada.actor.userId, targetRoleId: 'team-lead', openingId: opening },
      'requested a Team Lead review for Ada against the opening',
    );
    await act(maya, lead, 'checkEligibility', {}, 'checked eligibility');

    out();
    out('-- A requirement waiver: Ben has not yet spent a year at level 1 --');
    const benPromo = await open(
      maya,
      '/cases/promotions',
      { employeeId: ben.actor.userId, targetRoleId: 'senior-engineer' },
      'requested a Senior Engineer review for Ben',
    );
    await act(maya, benPromo, 'checkEligibility', {}, 'checked eligibility');
    await refused(maya, `/cases/${benPromo}/actions/beginReview`, {}, 'tried to start the review');
    const waiver = await open(
      maya,
      '/waivers',
      {
        subjectCaseId: benPromo,
        requirementIds: ['time-at-level-1'],
        urgentNeed: 'Two senior engineers left; the on-call rotation cannot be staffed',
      },
      'requested a waiver of time-at-level-1, stating the urgent need',
    );
    await refused(maya, `/cases/${waiver}/actions/grant`, {}, 'tried to grant her own waiver request');
    await act(lee, waiver, 'grant', { note: 'urgent staffing need' }, 'granted the waiver');
    await eligibility(hr, ben.actor.userId, 'Ben', 'senior-engineer');

    out();
    out('-- A cross-team transfer after two years with the team --');
    const early = await open(
      ben,
      '/cases/transfers',
      { employeeId: ben.actor.userId, toTeam: platform },
      `asked to transfer to ${platform} after less than two years`,
    );
    await refused(
      maya,
      `/cases/${early}/actions/acknowledge`,
      {},
      "tried to acknowledge Ben's transfer (the tenure is unmet and not waived)",
    );
    const transfer = await open(
      ada,
      '/cases/transfers',
      { employeeId: ada.actor.userId, toTeam: platform, motivation: 'Wants to build platform tooling' },
      `asked to transfer to ${platform}`,
    );
    await act(maya, transfer, 'acknowledge', {}, 'acknowledged (the receiving team has 14 days to decide)');
    await refused(
      lee,
      `/cases/${transfer}/actions/approve`,
      {},
      'tried to approve a transfer into another team',
    );
    await act(pat, transfer, 'approve', {}, 'approved the transfer into platform');
    await act(
      hr,
      transfer,
      'agreeEffectiveDate',
      { effectiveDate: isoIn(21) },
      'agreed the effective date (in 21 days)',
    );

    // ---------------------------------------------------------------- seeds 000/001/003
    out();
    out('== CE career development framework (seeds 000, 001, 003) ==');
    const emea = team('emea');
    const mo = person('Mo (manager, emea)', id('mo'), ['manager'], emea);
    const li = person('Li (leadership, emea)', id('li'), ['leadership'], emea);
    const iris = person('Iris (Senior CE, IC3)', id('iris'), ['employee'], emea);
    const all = (r: string) => ({ leadership: r, business: r, technology: r });
    await hire(hr, iris.actor.userId, [
      {
        type: 'EmployeeHired',
        data: {
          name: 'Iris',
          email: `${iris.actor.userId}@example.com`,
          team: emea,
          managerId: mo.actor.userId,
          frameworkId: 'ce-career-development',
          track: 'ic',
          roleId: 'IC3',
          effectiveDate: '2023-01-09',
        },
      },
      // the five quarters before the current one: four of high performance, then one at the next level
      ...recentQuarters(5).map(([quarter, recordedOn], n) => ({
        type: 'QuarterlyRatingRecorded',
        data: { quarter, ratings: all(n === 4 ? 'at-next-level' : 'high'), effectiveDate: recordedOn },
      })),
    ]);
    out(
      `  ${hr.name} hired Iris as IC3 in team ${emea} with four quarters of high performance and one at the next level`,
    );
    await eligibility(hr, iris.actor.userId, 'Iris', 'IC4');
    const designation = await open(
      mo,
      '/cases/team-lead-designations',
      {
        employeeId: iris.actor.userId,
        designationId: 'regional-team-lead',
        justification: 'Leads the EMEA pod already',
      },
      'nominated Iris for the Regional Team Lead designation',
    );
    await act(mo, designation, 'beginPeerReview', {}, 'started the peer review');
    await act(
      mo,
      designation,
      'recordPeerReview',
      { outcome: 'passed', reviewers: [id('peer')] },
      'recorded a passed peer review',
    );
    await act(
      li,
      designation,
      'approve',
      { startDate: new Date().toISOString().slice(0, 10) },
      'approved the designation',
    );

    // ---------------------------------------------------------------- seed 004
    out();
    out('== IC ladder with management equivalents (seed 004) ==');
    const apac = team('apac');
    const sam = person('Sam (manager, apac)', id('sam'), ['manager'], apac);
    const omar = person('Omar (Associate CE)', id('omar'), ['employee'], apac);
    await hire(hr, omar.actor.userId, [
      {
        type: 'EmployeeHired',
        data: {
          name: 'Omar',
          email: `${omar.actor.userId}@example.com`,
          team: apac,
          managerId: sam.actor.userId,
          frameworkId: 'ic-ladder-management-equivalents',
          track: 'ic',
          roleId: 'associate-customer-engineer',
          effectiveDate: '2025-02-01',
        },
      },
    ]);
    out(`  ${hr.name} hired Omar as Associate Customer Engineer in team ${apac}`);
    const next = must(await call('GET', `/employees/${omar.actor.userId}/next-roles`, sam), 'next roles');
    for (const r of (next.roles ?? []) as Array<{
      title: string;
      kind: string;
      result: { eligible: boolean };
    }>)
      out(`  next role for Omar: ${r.title} (${r.kind}; ${r.result.eligible ? 'eligible now' : 'not yet'})`);
    await eligibility(hr, omar.actor.userId, 'Omar', 'customer-engineer');
    const omarPromo = await open(
      sam,
      '/cases/promotions',
      { employeeId: omar.actor.userId, targetRoleId: 'customer-engineer' },
      'requested a Customer Engineer review for Omar',
    );
    await act(sam, omarPromo, 'checkEligibility', {}, 'checked eligibility');
    await act(omar, omarPromo, 'withdraw', {}, 'withdrew his own case');

    out();
    out(`Done (run ${run}). Every step above is an event; list them with GET /cases?team=${support} as HR.`);
  } finally {
    await app.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
