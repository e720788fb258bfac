import request from 'supertest';
import { EventStore } from '@talent/event-store';
import { CaseContextBuilder, CaseRepository, ReadModelRebuilder } from '@talent/use-cases';
import { iso, LADDER, startCaseWorld, TEAM, type CaseWorld } from '../../support/case-world.js';
import type { Person } from '../../support/org.js';

/**
 * The event log is the source of truth: dropping the `employees` and `cases` read models (and
 * `stream_subjects`) and rebuilding them from the log alone gives back exactly the rows the inline
 * projections wrote, column for column (updated_at included: it comes from the events' clock).
 */
describe('read models: rebuild from the event log', () => {
  let w: CaseWorld;
  let rebuilder: ReadModelRebuilder;
  const DAY = 86_400_000;
  const q = <T>(sql: string, params: unknown[] = []) => w.api.db.dataSource.query<T>(sql, params);
  const snapshot = async () => ({
    employees: await q<unknown[]>('SELECT * FROM employees ORDER BY employee_id'),
    cases: await q<unknown[]>('SELECT * FROM cases ORDER BY case_id'),
    streamSubjects: await q<unknown[]>('SELECT * FROM stream_subjects ORDER BY stream_id, employee_id'),
  });
  const ok = async (res: request.Response | Promise<request.Response>, status = 200) => {
    const r = await res;
    if (r.status !== status) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  const facts = (who: Person, id: string, list: Array<{ type: string; data: Record<string, unknown> }>) =>
    ok(
      request(w.api.app.getHttpServer())
        .post(`/employees/${id}/facts`)
        .set('Authorization', `Bearer ${who.token}`)
        .send({ facts: list.map((f) => ({ type: f.type, data: { employeeId: id, ...f.data } })) }),
      201,
    );

  beforeAll(async () => {
    w = await startCaseWorld();
    rebuilder = new ReadModelRebuilder(
      w.api.app.get(EventStore),
      w.api.app.get(CaseRepository),
      w.api.app.get(CaseContextBuilder),
    );
    const { hr, manager, leadership, otherEmployee, otherManager } = w.people;

    // more people, one on another team and framework
    await w.org.hire({
      id: 'ce-3',
      managerId: 'mgr-1',
      extra: [{ type: 'SmeSkillsetCertified', data: { skillset: 'storage', effectiveDate: '2024-05-01' } }],
    });
    await w.org.hire({ id: 'ce-4', managerId: 'mgr-2', team: TEAM.other });

    // an IC promotion walked to approval in the world's cycle
    const promo = await ok(
      w.c.open('/cases/promotions', manager, { employeeId: 'ce-2', targetRoleId: 'senior-engineer' }),
      201,
    );
    const promoId = promo.body.caseId as string;
    for (const [action, who, body] of [
      ['checkEligibility', manager, {}],
      ['beginReview', manager, {}],
      ['recordPeerReview', manager, { outcome: 'passed', reviewers: ['ce-1', 'ce-3'] }],
      ['recommend', manager, { summary: 'Ready for senior' }],
      ['enterCalibration', manager, { cycleId: w.cycleId }],
      ['approve', hr, { effectiveDate: iso(Date.now() + 30 * DAY) }],
    ] as const) {
      await ok(w.c.act(promoId, action, who, body));
    }
    // a promotion left mid-way and a waiver requested on the world's subject promotion
    const mid = await ok(
      w.c.open('/cases/promotions', manager, { employeeId: 'ce-3', targetRoleId: 'senior-engineer' }),
      201,
    );
    await ok(w.c.act(mid.body.caseId as string, 'checkEligibility', manager));
    const waiver = await ok(
      w.c.open('/waivers', manager, {
        subjectCaseId: w.subjectPromotionId,
        requirementIds: ['time-at-level-1'],
        urgentNeed: 'Two senior engineers left; the on-call rotation cannot be staffed',
      }),
      201,
    );
    await ok(w.c.act(waiver.body.caseId as string, 'grant', leadership, { note: 'urgent' }));
    // a designation in peer review, a transfer acknowledged, an opening in draft on another team
    const nominated = await ok(
      w.c.open('/cases/team-lead-designations', manager, {
        employeeId: 'ic-1',
        designationId: 'regional-team-lead',
      }),
      201,
    );
    await ok(w.c.act(nominated.body.caseId as string, 'beginPeerReview', manager));
    const transfer = await ok(
      w.c.open('/cases/transfers', otherEmployee, { employeeId: 'ce-2', toTeam: TEAM.receiving }),
      201,
    );
    await ok(w.c.act(transfer.body.caseId as string, 'acknowledge', manager, { note: 'backfill planned' }));
    await ok(
      w.c.open('/openings', otherManager, {
        team: TEAM.other,
        roleId: 'team-lead',
        frameworkId: LADDER,
        justification: 'Sales engineering needs a lead for the new region',
      }),
      201,
    );
    // facts recorded after the cases last moved: the case rows keep what was known when they were
    // written (ce-3's manager then), and the rebuild must reproduce that, not today's manager
    await facts(hr, 'ce-3', [
      { type: 'ManagerChanged', data: { managerId: 'mgr-2', effectiveDate: '2025-06-01' } },
    ]);
    await facts(hr, 'ce-4', [
      { type: 'SmeSkillsetCertified', data: { skillset: 'networking', effectiveDate: '2025-01-01' } },
    ]);
  });
  afterAll(async () => {
    await w.close();
  });

  it('gives back exactly the same rows', async () => {
    const before = await snapshot();
    expect(before.employees).toHaveLength(5);
    expect(before.cases.length).toBeGreaterThanOrEqual(9);
    expect(before.streamSubjects.length).toBeGreaterThan(0);
    // the replay must use the employee as of each case's last event: ce-3's open case still waits on
    // the manager recorded then (mgr-1), though the directory now says mgr-2
    const mid = await q<Array<{ waiting_on: string[] }>>(
      `SELECT waiting_on FROM cases WHERE employee_id = 'ce-3' AND case_type = 'promotion'`,
    );
    expect(mid[0]?.waiting_on).toContain('user:mgr-1');
    expect(await q(`SELECT manager_id FROM employees WHERE employee_id = 'ce-3'`)).toEqual([
      { manager_id: 'mgr-2' },
    ]);
    const events = await w.eventCount();

    const report = await rebuilder.rebuild();

    expect(report).toEqual({
      employees: 5,
      cases: before.cases.length,
      streamSubjects: before.streamSubjects.length,
      eventsRead: events,
    });
    expect(await snapshot()).toEqual(before);
    expect(await w.eventCount()).toBe(events);
  });

  it('repairs rows that drifted or went missing, and is repeatable', async () => {
    const before = await snapshot();
    await q(`UPDATE employees SET team = 'nowhere', updated_at = now() WHERE employee_id = 'ce-1'`);
    await q(`DELETE FROM cases WHERE case_id = $1`, [w.subjectPromotionId]);
    await q(`UPDATE cases SET stage = 'bogus', waiting_on = '{}' WHERE case_type = 'transfer'`);
    await q('DELETE FROM stream_subjects');
    await rebuilder.rebuild();
    expect(await snapshot()).toEqual(before);
    await rebuilder.rebuild();
    expect(await snapshot()).toEqual(before);
  });

  it('keeps the old rows visible to readers until it commits', async () => {
    const ds = w.api.db.dataSource;
    const reader = ds.createQueryRunner();
    const blocker = ds.createQueryRunner();
    await reader.connect();
    await blocker.connect();
    try {
      // hold a writer's lock on `cases` so the rebuild waits inside its transaction
      await blocker.startTransaction();
      await blocker.query(`UPDATE cases SET version = version WHERE case_id = $1`, [w.subjectPromotionId]);
      const rebuilding = rebuilder.rebuild();
      await new Promise((r) => setTimeout(r, 300));
      const rows = (await reader.query('SELECT count(*)::int AS n FROM cases')) as Array<{ n: number }>;
      expect(rows[0]?.n).toBeGreaterThan(0);
      await blocker.commitTransaction();
      await rebuilding;
      const after = (await reader.query('SELECT count(*)::int AS n FROM cases')) as Array<{ n: number }>;
      expect(after[0]?.n).toBe(rows[0]?.n);
    } finally {
      await reader.release();
      await blocker.release();
    }
  });
  it('loses no write that lands while it runs: the writer waits, then moves its row past the rebuilt one', async () => {
    const ds = w.api.db.dataSource;
    const blocker = ds.createQueryRunner();
    await blocker.connect();
    const manager = w.people.otherManager; // ce-4 reports to mgr-2
    const opened = await w.c.open('/cases/promotions', manager, {
      employeeId: 'ce-4',
      targetRoleId: 'senior-engineer',
    });
    expect(opened.status).toBe(201);
    const id = opened.body.caseId as string;
    try {
      await blocker.startTransaction();
      await blocker.query(`UPDATE cases SET version = version WHERE case_id = $1`, [w.subjectPromotionId]);
      const done: string[] = [];
      const rebuilding = rebuilder.rebuild().then(() => done.push('rebuild'));
      await new Promise((r) => setTimeout(r, 200));
      // queued behind the rebuild's lock request: its events are not in the rebuild's snapshot, and
      // its row is written after the rebuild commits
      const acting = w.c.act(id, 'withdraw', manager).then((res) => {
        done.push('write');
        return res;
      });
      await new Promise((r) => setTimeout(r, 200));
      // both wait: the rebuild for the open writer, the new write for the rebuild
      expect(done).toEqual([]);
      await blocker.commitTransaction();
      await rebuilding;
      expect((await acting).status).toBe(200);
    } finally {
      await blocker.release();
    }
    expect(await w.caseRow(id)).toEqual({ stage: 'withdrawn', version: 2 });
    const settled = await snapshot();
    await rebuilder.rebuild();
    expect(await snapshot()).toEqual(settled);
  });
});
