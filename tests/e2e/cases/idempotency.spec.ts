import { jest } from '@jest/globals';
import request from 'supertest';
import { startCaseWorld, type CaseWorld } from '../../support/case-world.js';

jest.setTimeout(60_000);

/**
 * An Idempotency-Key names one request. The same key with the same body is a retry and gets the
 * original answer; the same key with another body is a mistake the caller must hear about (409), and
 * it changes nothing.
 */
describe('Idempotency-Key bound to the request body', () => {
  let w: CaseWorld;
  beforeAll(async () => {
    w = await startCaseWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  const events = async (caseId: string) =>
    w.api.db.dataSource.query<Array<{ type: string; reason: string | null }>>(
      `SELECT type, metadata->>'reason' AS reason FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [caseId],
    );
  const caseCount = async () =>
    (await w.api.db.dataSource.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM cases'))[0].n;

  const openWithKey = (key: string, body: Record<string, unknown>) =>
    request(w.api.app.getHttpServer())
      .post('/cases/promotions')
      .set('Authorization', `Bearer ${w.people.manager.token}`)
      .set('Idempotency-Key', key)
      .send(body);

  it('answers a retried action with the original result and a changed body with 409, writing nothing', async () => {
    const opened = await w.c.open('/cases/promotions', w.people.manager, {
      employeeId: 'ce-2',
      targetRoleId: 'senior-engineer',
    });
    expect(opened.status).toBe(201);
    const id = opened.body.caseId as string;
    const key = `withdraw-${id}`;
    const first = await w.c.act(
      id,
      'withdraw',
      w.people.manager,
      { reason: 'moving teams' },
      { 'Idempotency-Key': key },
    );
    expect(first.status).toBe(200);
    const before = await events(id);
    expect(before.at(-1)).toEqual({ type: 'PromotionWithdrawn', reason: 'moving teams' });

    const retry = await w.c.act(
      id,
      'withdraw',
      w.people.manager,
      { reason: 'moving teams' },
      { 'Idempotency-Key': key },
    );
    expect(retry.status).toBe(200);
    expect(retry.body.version).toBe(first.body.version);

    const changed = await w.c.act(
      id,
      'withdraw',
      w.people.manager,
      { reason: 'budget' },
      { 'Idempotency-Key': key },
    );
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(changed.body.message).toMatch(/use a new key/);
    expect(await events(id)).toEqual(before);
  });

  it('refuses an opening retried with the same key but another body, and opens nothing more', async () => {
    const key = 'open-ce-2-staff-1';
    const body = { employeeId: 'ce-2', targetRoleId: 'senior-engineer' };
    const first = await openWithKey(key, body);
    expect(first.status).toBe(201);
    const id = first.body.caseId as string;
    const cases = await caseCount();

    const retry = await openWithKey(key, body);
    expect(retry.status).toBeLessThan(300);
    expect(retry.body.caseId).toBe(id);

    const changed = await openWithKey(key, { ...body, reason: 'ready a quarter early' });
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await caseCount()).toBe(cases);
    expect((await events(id)).map((e) => e.type)).toEqual(['PromotionRequested']);
  });

  it('refuses the same key for another action on the same case, and takes no action', async () => {
    const opened = await w.c.open('/cases/promotions', w.people.manager, {
      employeeId: 'ce-2',
      targetRoleId: 'senior-engineer',
    });
    const id = opened.body.caseId as string;
    const key = `two-actions-${id}`;
    const checked = await w.c.act(id, 'checkEligibility', w.people.manager, {}, { 'Idempotency-Key': key });
    expect(checked.status).toBe(200);
    const before = await events(id);
    const withdrawn = await w.c.act(id, 'withdraw', w.people.manager, {}, { 'Idempotency-Key': key });
    expect({ status: withdrawn.status, code: withdrawn.body.code }).toEqual({
      status: 409,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(await events(id)).toEqual(before);
    // the same text as another caller's key is that caller's own key: the employee may withdraw
    const other = await w.c.act(id, 'withdraw', w.people.otherEmployee, {}, { 'Idempotency-Key': key });
    expect(other.status).toBe(200);
    expect((await events(id)).at(-1)?.type).toBe('PromotionWithdrawn');
  });

  it('lets concurrent requests with one key but two bodies write one of them; the other body gets 409', async () => {
    const opened = await w.c.open('/cases/promotions', w.people.manager, {
      employeeId: 'ce-2',
      targetRoleId: 'senior-engineer',
    });
    const id = opened.body.caseId as string;
    const key = `race-${id}`;
    const reasons = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 'reason A' : 'reason B'));
    const responses = await Promise.all(
      reasons.map((reason) =>
        w.c.act(id, 'withdraw', w.people.manager, { reason }, { 'Idempotency-Key': key }),
      ),
    );
    const written = (await events(id)).filter((e) => e.type === 'PromotionWithdrawn');
    expect(written).toHaveLength(1);
    const winner = written[0].reason;
    for (const [i, r] of responses.entries()) {
      if (reasons[i] === winner) expect(r.status).toBe(200);
      else
        expect({ status: r.status, code: r.body.code }).toEqual({
          status: 409,
          code: 'IDEMPOTENCY_KEY_REUSED',
        });
    }
  });
});
