import fc from 'fast-check';
import request from 'supertest';
import { startCaseWorld, type CaseWorld } from '../../support/case-world.js';

/**
 * Bad input against every audit route, generated with fast-check: weird ids, instants, periods,
 * cursors, limits, formats and unknown parameters. Never a 5xx; every refusal is a problem body
 * with a message; nothing is written.
 */
describe('audit routes refuse bad input without a 5xx', () => {
  let w: CaseWorld;
  let eventsAtStart: number;

  beforeAll(async () => {
    w = await startCaseWorld();
    eventsAtStart = await w.eventCount();
  });
  afterAll(async () => {
    await w.close();
  });

  const weird = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom(
      '',
      ' ',
      '%',
      "' OR 1=1 --",
      '__proto__',
      'null',
      'a'.repeat(300),
      '0000-01-01T00:00:00Z',
      '0001-01-01T00:00:00+14:00',
      '9999-12-31T23:59:59-14:00',
      '2026-02-30T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T00:00:00+99:00',
      '2026-01-01',
      '2026-01-01T00:00:00Z',
      '2027-01-01T00:00:00.123456789+01:00',
      '-1',
      '0',
      '501',
      '1e3',
      'csv',
      'ndjson',
      'xml',
      'caseHistory',
      'period',
      'stream',
      'waivers',
      'recorded',
      'occurred',
      'eyJxIjoiY2FzZUhpc3RvcnkifQ',
      '00000000-0000-0000-0000-000000000000',
      'ce-1',
      'employee-ce-1',
    ),
  );
  const segment = weird.map((s) => encodeURIComponent(s) || 'x');
  const params = fc.dictionary(
    fc.constantFrom(
      'from',
      'to',
      'asOf',
      'basis',
      'cursor',
      'limit',
      'approver',
      'query',
      'format',
      'caseId',
      'employeeId',
      'actorId',
      'streamId',
      'other',
    ),
    weird,
    { maxKeys: 5 },
  );
  const routes = [
    (id: string) => `/audit/cases/${id}/history`,
    (id: string) => `/audit/cases/${id}`,
    (id: string) => `/cases/${id}/as-of/${id}`,
    (id: string) => `/audit/employees/${id}/timeline`,
    (id: string) => `/audit/employees/${id}`,
    (id: string) => `/audit/actors/${id}/activity`,
    () => '/audit/approvals',
    () => '/audit/waivers',
    () => '/audit/export',
    () => '/audit/verify',
  ];

  it('answers every generated request with a 2xx or a 4xx problem', async () => {
    const auditor = w.people.auditor;
    const ids = fc.oneof(segment, fc.constantFrom(w.subjectPromotionId, 'ce-1', 'mgr-1'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), ids, params, async (route, id, query) => {
        const qs = new URLSearchParams(query).toString();
        const url = `${route(id)}${qs ? `?${qs}` : ''}`;
        const res = await request(w.api.app.getHttpServer())
          .get(url)
          .set('Authorization', `Bearer ${auditor.token}`)
          .buffer(true)
          .parse((r, cb) => {
            let text = '';
            r.setEncoding('utf8');
            r.on('data', (c: string) => (text += c));
            r.on('end', () => cb(null, text));
          });
        expect({ url, status: res.status < 500 }).toEqual({ url, status: true });
        if (res.status >= 400) {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          const body = JSON.parse(res.body as string) as { message?: unknown };
          expect(typeof body.message).toBe('string');
        }
      }),
      { numRuns: 400 },
    );
    expect(await w.eventCount()).toBe(eventsAtStart);
  });

  it('refuses instants PostgreSQL cannot hold (year 0) with a 400, not a 500', async () => {
    for (const url of [
      '/audit/approvals?from=0000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      '/audit/waivers?from=0001-01-01T00:00:00%2B14:00&to=2026-01-01T00:00:00Z',
      `/audit/cases/${w.subjectPromotionId}?asOf=0000-06-01T00:00:00Z`,
      '/audit/employees/ce-1?asOf=0000-06-01T00:00:00Z',
      '/audit/export?query=period&from=0000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    ]) {
      const res = await request(w.api.app.getHttpServer())
        .get(url)
        .set('Authorization', `Bearer ${w.people.hr.token}`);
      expect({ url, status: res.status }).toEqual({ url, status: 400 });
      expect(res.body.message).toMatch(/0001-01-01/);
    }
  });
});
