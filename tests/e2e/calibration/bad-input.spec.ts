import fc from 'fast-check';
import request from 'supertest';
import { startCaseWorld, type CaseWorld, type PersonKey } from '../../support/case-world.js';

/**
 * Generated bad input against the calibration routes: garbage ids, bodies and callers never produce
 * a 5xx, every refusal is a problem body with a message, and nothing is written.
 */
describe('calibration: bad input (fast-check)', () => {
  let w: CaseWorld;
  let events = 0;
  const who = fc.constantFrom<PersonKey>('hr', 'auditor', 'leadership', 'manager', 'employee', 'system');
  const weird = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom(
      '',
      '%',
      '%zz',
      '..',
      '__proto__',
      '00000000-0000-0000-0000-000000000000',
      'a'.repeat(300),
    ),
  );
  const decisionGarbage = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.record({
      decisions: fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.array(
          fc.record(
            {
              caseId: fc.oneof(weird, fc.uuid()),
              decision: fc.oneof(
                fc.constantFrom('approve', 'deny', 'APPROVE', ''),
                fc.jsonValue({ maxDepth: 1 }),
              ),
              effectiveDate: fc.oneof(weird, fc.constant('2099-01-01T00:00:00Z'), fc.integer()),
              note: fc.oneof(weird, fc.integer()),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 4 },
        ),
      ),
      reason: fc.oneof(weird, fc.integer(), fc.constant(undefined)),
    }),
  );

  const check = (res: request.Response, where: string) => {
    expect({ where, status: res.status >= 500 ? res.body : 'ok' }).toEqual({ where, status: 'ok' });
    if (res.status >= 400)
      expect({ where, message: typeof res.body?.message }).toEqual({ where, message: 'string' });
  };

  beforeAll(async () => {
    w = await startCaseWorld();
    events = await w.eventCount();
  });
  afterAll(async () => {
    await w.close();
  });

  it('GET /cycles/{id}/calibration with garbage ids and any caller', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(weird, fc.uuid(), fc.constant(w.cycleId)), who, async (id, key) => {
        const res = await request(w.api.app.getHttpServer())
          .get(`/cycles/${encodeURIComponent(id) || 'x'}/calibration`)
          .set('Authorization', `Bearer ${w.people[key].token}`);
        check(res, `GET ${id} as ${key}`);
      }),
      { numRuns: 120 },
    );
  });

  it('POST /cycles/{id}/decisions with garbage bodies writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(weird, fc.uuid(), fc.constant(w.cycleId)),
        decisionGarbage,
        who,
        async (id, body, key) => {
          const res = await request(w.api.app.getHttpServer())
            .post(`/cycles/${encodeURIComponent(id) || 'x'}/decisions`)
            .set('Authorization', `Bearer ${w.people[key].token}`)
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(body));
          check(res, `POST ${id} as ${key}: ${JSON.stringify(body).slice(0, 200)}`);
        },
      ),
      { numRuns: 250 },
    );
    // random case ids never name a promotion of the cycle: no decision was taken
    expect(await w.eventCount()).toBe(events);
  });
});
