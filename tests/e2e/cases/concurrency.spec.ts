import { jest } from '@jest/globals';
import type { Person } from '../../support/org.js';
import { iso, LADDER, startCaseWorld, TEAM, type CaseWorld } from '../../support/case-world.js';

jest.setTimeout(60_000);

/**
 * Concurrency over HTTP on one case: 32 conflicting actions at once, from different actors. Exactly
 * one takes effect; every other gets 409 (the stage no longer allows it) or 412 (the If-Match is
 * stale); the stream's versions stay contiguous from 1 with exactly one decision event, and the
 * `cases` row is at the stream's head.
 */
const N = 32;

describe('32 concurrent conflicting actions on one case', () => {
  let w: CaseWorld;
  beforeAll(async () => {
    w = await startCaseWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  const leaders = (prefix: string): Person[] =>
    Array.from({ length: N }, (_, i) => {
      const id = `${prefix}-${i}`;
      return { id, token: w.token({ userId: id, roles: ['leadership'], team: TEAM.home }) };
    });

  const eventTypes = async (caseId: string) =>
    (
      await w.api.db.dataSource.query<Array<{ type: string; v: number }>>(
        'SELECT type, stream_version::int AS v FROM events WHERE stream_id = $1 ORDER BY stream_version',
        [caseId],
      )
    ).map((r) => r.type);

  async function expectOneWinner(
    caseId: string,
    responses: Array<{ status: number; body: Record<string, unknown> }>,
    decisions: string[],
  ) {
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 409 || s === 412)).toBe(true);
    for (const r of responses.filter((x) => x.status !== 200)) expect(typeof r.body.message).toBe('string');
    const versions = await w.streamVersions(caseId);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    const types = await eventTypes(caseId);
    expect(types.filter((t) => decisions.includes(t))).toHaveLength(1);
    const winner = responses.find((r) => r.status === 200)!;
    const row = await w.caseRow(caseId);
    expect(row).toEqual({ stage: winner.body.stage, version: versions.length });
    expect(winner.body.version).toBe(versions.length);
    return { types, winner };
  }

  it('16 grants + 16 denials of one waiver by 32 leaders (no If-Match): one decision, the rest 409', async () => {
    const opened = await w.c.open('/waivers', w.people.manager, {
      subjectCaseId: w.subjectPromotionId,
      requirementIds: ['time-at-level-1'],
      urgentNeed: 'Two senior engineers left; the on-call rotation cannot be staffed',
    });
    expect(opened.status).toBe(201);
    const id = opened.body.caseId as string;
    const deciders = leaders('lead-w');
    const responses = await Promise.all(
      deciders.map((who, i) => w.c.act(id, i % 2 === 0 ? 'grant' : 'deny', who, { note: `by ${who.id}` })),
    );
    const { types, winner } = await expectOneWinner(id, responses, ['WaiverGranted', 'WaiverDenied']);
    expect(types).toHaveLength(2);
    expect(['granted', 'denied']).toContain(winner.body.stage);
    // the losers were refused on the stage, after retrying on the fresh state
    expect(responses.filter((r) => r.status === 409)).toHaveLength(N - 1);
  });

  it('16 approvals + 16 rejections of one role opening, each with If-Match: one decision, the rest 412 or 409', async () => {
    const drafted = await w.c.open('/openings', w.people.manager, {
      team: TEAM.home,
      roleId: 'team-lead',
      frameworkId: LADDER,
      justification: 'A night shift needs a lead',
    });
    const id = drafted.body.caseId as string;
    const submitted = await w.c.act(id, 'submit', w.people.manager);
    expect(submitted.status).toBe(200);
    const etag = submitted.headers.etag;
    const window = iso(Date.now() + 30 * 86_400_000);
    const responses = await Promise.all(
      leaders('lead-o').map((who, i) =>
        i % 2 === 0
          ? w.c.act(id, 'approve', who, { applicationWindowClosesAt: window }, { 'If-Match': etag })
          : w.c.act(id, 'reject', who, { note: 'no budget' }, { 'If-Match': etag }),
      ),
    );
    const { winner } = await expectOneWinner(id, responses, ['RoleOpeningApproved', 'RoleOpeningRejected']);
    expect(['open', 'rejected']).toContain(winner.body.stage);
    expect(responses.filter((r) => r.status === 412).length).toBeGreaterThan(0);
  });

  it('32 withdrawals of one promotion with the same If-Match, by the employee and their manager', async () => {
    const opened = await w.c.open('/cases/promotions', w.people.manager, {
      employeeId: 'ce-1',
      targetRoleId: 'senior-engineer',
    });
    const id = opened.body.caseId as string;
    const checked = await w.c.act(id, 'checkEligibility', w.people.manager);
    expect(checked.status).toBe(200);
    const etag = checked.headers.etag;
    const responses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        w.c.act(id, 'withdraw', i % 2 === 0 ? w.people.employee : w.people.manager, {}, { 'If-Match': etag }),
      ),
    );
    const { types } = await expectOneWinner(id, responses, ['PromotionWithdrawn']);
    expect(types).toEqual(['PromotionRequested', 'EligibilityChecked', 'PromotionWithdrawn']);
    expect((await w.caseRow(id))?.stage).toBe('withdrawn');
  });

  it('32 concurrent retries with one Idempotency-Key write once and all answer the original result', async () => {
    const opened = await w.c.open('/cases/promotions', w.people.manager, {
      employeeId: 'ce-1',
      targetRoleId: 'senior-engineer',
    });
    const id = opened.body.caseId as string;
    const key = `retry-${id}`;
    const responses = await Promise.all(
      Array.from({ length: N }, () =>
        w.c.act(id, 'checkEligibility', w.people.manager, {}, { 'Idempotency-Key': key }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(new Set(responses.map((r) => r.body.version as number))).toEqual(new Set([2]));
    expect(await eventTypes(id)).toEqual(['PromotionRequested', 'EligibilityChecked']);
  });
});
