import { randomBytes } from 'node:crypto';
import { uuidV5 } from '@talent/event-store';
import { WORK_QUEUES } from '@talent/use-cases';
import { CycleSchedules } from '../../../apps/worker/src/queues/cycle-schedules.js';
import { Processors } from '../../../apps/worker/src/queues/processors.js';
import { WorkQueues } from '../../../apps/worker/src/queues/work-queues.js';
import { startTestApi, type TestApi } from '../../support/api.js';
import { publishSeedFrameworks } from '../../support/frameworks.js';
import { OrgFactory } from '../../support/org.js';
import { eventually, startTestWorker, type TestWorker } from '../../support/worker.js';

/**
 * Two workers on one database and one queue prefix both register the review-cycle schedules with a
 * one-second cron. Several slots fire, each slot is one BullMQ job run by whichever worker takes it,
 * and every run derives the same cycle id (framework + day) and idempotency keys: one cycle per
 * framework, opened once, its eligibility evaluated once and one digest per manager.
 */
describe('worker: a scheduled review cycle opens exactly once with two workers', () => {
  let api: TestApi;
  const workers: TestWorker[] = [];
  const prefix = `test-sched-${randomBytes(4).toString('hex')}`;
  const q = <T>(sql: string, params: unknown[] = []) => api.db.dataSource.query<T>(sql, params);

  beforeAll(async () => {
    api = await startTestApi();
    await publishSeedFrameworks(api);
    const org = new OrgFactory(api);
    // Two managers, each with reports close to (or at) their next level on the customer-engineering ladder.
    for (const [id, managerId] of [
      ['sched-ce-1', 'sched-mgr-a'],
      ['sched-ce-2', 'sched-mgr-a'],
      ['sched-ce-3', 'sched-mgr-b'],
    ] as const) {
      await org.hire({
        id,
        managerId,
        hiredOn: '2023-01-10',
        extra: [
          { type: 'SmeSkillsetCertified', data: { skillset: 'networking', effectiveDate: '2023-06-01' } },
          { type: 'SmeSkillsetCertified', data: { skillset: 'linux', effectiveDate: '2023-09-01' } },
        ],
      });
    }
    for (let i = 0; i < 2; i++) workers.push(await startTestWorker(api.db.url, { prefix }));
  });

  afterAll(async () => {
    for (const w of workers) await w.close();
    await api.close();
  });

  it('opens one cycle per framework for the day, once, and runs its eligibility job once', async () => {
    const startedAt = Date.now();
    const day = new Date().toISOString().slice(0, 10);
    const idsPerWorker = await Promise.all(
      workers.map((w) => w.app.get(CycleSchedules).sync({ pattern: '*/1 * * * * *', tz: 'UTC' })),
    );
    const schedulerIds = idsPerWorker[0];
    expect(idsPerWorker[1]).toEqual(schedulerIds);
    expect(schedulerIds.length).toBeGreaterThan(0);
    const schedules = workers[0].app.get(WorkQueues).get(WORK_QUEUES.schedules);
    // one scheduler per framework however many workers upserted it
    expect((await schedules.getJobSchedulers()).map((s) => s.key).sort()).toEqual([...schedulerIds].sort());

    const ranPerWorker = () =>
      workers.map((w) => w.app.get(Processors).completed.get(WORK_QUEUES.schedules) ?? 0);
    // at least three slots per framework have fired
    await eventually(
      async () => ranPerWorker().reduce((a, b) => a + b, 0) >= 3 * schedulerIds.length,
      15000,
      'three one-second slots per framework',
    );
    await new Promise((r) => setTimeout(r, 500));
    for (const id of schedulerIds) await schedules.removeJobScheduler(id);
    expect(await schedules.getJobSchedulers()).toEqual([]);
    await eventually(
      async () => {
        const c = await schedules.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
        return Object.values(c).every((n) => n === 0);
      },
      10000,
      'the last slot to finish',
    );
    const slotsRun = ranPerWorker().reduce((a, b) => a + b, 0);
    expect(workers.map((w) => w.app.get(Processors).failed.get(WORK_QUEUES.schedules) ?? 0)).toEqual([0, 0]);

    const frameworks = schedulerIds.map((s) => s.replace(/^cycle-open-/, ''));
    const expectedIds = frameworks.map((f) => uuidV5(`case|scheduled-cycle|${f}|${day}`)).sort();
    const cycles = await q<Array<{ case_id: string; stage: string; framework_id: string }>>(
      `SELECT case_id, stage, framework_id FROM cases WHERE case_type = 'reviewCycle' ORDER BY case_id`,
    );
    expect(cycles.map((c) => c.case_id)).toEqual(expectedIds);
    expect(cycles.map((c) => c.stage)).toEqual(cycles.map(() => 'openForNominations'));
    expect(cycles.map((c) => c.framework_id).sort()).toEqual([...frameworks].sort());

    const opened = await q<Array<{ stream_id: string; n: number }>>(
      `SELECT stream_id, count(*)::int AS n FROM events WHERE type = 'ReviewCycleOpened' GROUP BY stream_id ORDER BY stream_id`,
    );
    expect(opened).toEqual(expectedIds.map((id) => ({ stream_id: id, n: 1 })));
    const created = await q<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM events WHERE stream_type = 'reviewCycle' AND stream_version = 1`,
    );
    expect(created[0].n).toBe(expectedIds.length);

    // The ReviewCycleOpened event calls for one eligibility job per cycle; it runs once.
    const ceCycle = uuidV5(`case|scheduled-cycle|customer-engineering-ladder|${day}`);
    const eligibilityJobs = await eventually(
      async () => {
        const rows = await q<Array<{ data: { cycleId: string }; state: string; attempts: number }>>(
          `SELECT data, state, attempts FROM scheduled_jobs WHERE name = 'cycle-eligibility'`,
        );
        return rows.length === expectedIds.length && rows.every((r) => r.state === 'done') && rows;
      },
      20000,
      'the eligibility jobs',
    );
    expect(eligibilityJobs.map((r) => r.data.cycleId).sort()).toEqual(expectedIds);
    expect(eligibilityJobs.map((r) => r.attempts)).toEqual(eligibilityJobs.map(() => 1));

    const verdicts = await q<Array<{ employee_id: string; manager_id: string; n: number }>>(
      `SELECT employee_id, manager_id, count(*)::int AS n FROM cycle_eligibility WHERE cycle_id = $1
        GROUP BY employee_id, manager_id ORDER BY employee_id`,
      [ceCycle],
    );
    expect(verdicts.map((v) => [v.employee_id, v.manager_id])).toEqual([
      ['sched-ce-1', 'sched-mgr-a'],
      ['sched-ce-2', 'sched-mgr-a'],
      ['sched-ce-3', 'sched-mgr-b'],
    ]);

    const digests = await eventually(
      async () => {
        const rows = await q<Array<{ recipient_id: string; channel: string; stream_id: string }>>(
          `SELECT recipient_id, channel, stream_id FROM notifications WHERE event_type = 'EligibilityDigest'
            ORDER BY recipient_id, channel`,
        );
        return rows.length > 0 && rows;
      },
      10000,
      'the managers digests',
    );
    expect(digests.every((d) => d.stream_id === ceCycle)).toBe(true);
    const perManager = new Map<string, number>();
    for (const d of digests.filter((x) => x.channel === 'in_app'))
      perManager.set(d.recipient_id, (perManager.get(d.recipient_id) ?? 0) + 1);
    expect(Object.fromEntries(perManager)).toEqual({ 'sched-mgr-a': 1, 'sched-mgr-b': 1 });
    // and nothing else was planned twice: every (event, recipient, channel) is unique by construction
    process.stdout.write(
      `cycle schedule: ${slotsRun} slot runs over ${schedulerIds.length} frameworks on 2 workers ` +
        `(${ranPerWorker().join('+')}) -> ${cycles.length} cycles in ${Date.now() - startedAt} ms\n`,
    );
  }, 60000);
});
