import fc from 'fast-check';
import request from 'supertest';
import { startCaseWorld, type CaseWorld, type PersonKey } from '../../support/case-world.js';

/**
 * Generated bad input against the inbox and webhook routes: never a 5xx, every refusal is a problem
 * body with a message, and no webhook subscription is created from garbage.
 */
describe('notifications and webhooks: bad input (fast-check)', () => {
  let w: CaseWorld;
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
      'a'.repeat(600),
    ),
  );
  const check = (res: request.Response, where: string) => {
    expect({ where, status: res.status >= 500 ? res.body : 'ok' }).toEqual({ where, status: 'ok' });
    if (res.status >= 400)
      expect({ where, message: typeof res.body?.message }).toEqual({ where, message: 'string' });
  };
  const send = (method: 'get' | 'post', url: string, key: PersonKey, body?: unknown) => {
    const server = w.api.app.getHttpServer();
    const req = (method === 'get' ? request(server).get(url) : request(server).post(url)).set(
      'Authorization',
      `Bearer ${w.people[key].token}`,
    );
    return body === undefined ? req : req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  };

  beforeAll(async () => {
    w = await startCaseWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  it('GET /me/notifications with garbage queries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('limit', 'cursor', 'unreadOnly', 'x'), weird),
        who,
        async (q, key) => {
          const qs = new URLSearchParams(q).toString();
          check(await send('get', `/me/notifications?${qs}`, key), `GET ?${qs}`);
          const cursor = Buffer.from(q.cursor ?? '').toString('base64url');
          check(await send('get', `/me/notifications?cursor=${cursor}`, key), `GET cursor ${cursor}`);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('POST /me/notifications/read and the webhook routes with garbage bodies and ids', async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({
        ids: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.array(fc.oneof(weird, fc.uuid()), { maxLength: 5 })),
      }),
      fc.record(
        {
          url: fc.oneof(
            weird,
            fc.webUrl(),
            fc.constantFrom('javascript:alert(1)', 'file:///etc/passwd', 'http://u:p@x/'),
          ),
          eventTypes: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.array(weird, { maxLength: 3 })),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.oneof(weird, fc.uuid()), who, async (b, id, key) => {
        check(
          await send('post', '/me/notifications/read', key, b),
          `read ${JSON.stringify(b).slice(0, 120)}`,
        );
        const created = await send('post', '/webhooks', key, b);
        check(created, `webhook ${JSON.stringify(b).slice(0, 120)}`);
        const seg = encodeURIComponent(id) || 'x';
        check(await send('post', `/webhooks/${seg}/deactivate`, key), `deactivate ${id}`);
        check(await send('post', `/webhooks/${seg}/activate`, key), `activate ${id}`);
        check(await send('get', '/webhooks', key), 'list');
      }),
      { numRuns: 150 },
    );
    const subs = await w.api.db.dataSource.query<Array<{ url: string; event_types: string[] }>>(
      'SELECT url, event_types FROM webhook_subscriptions',
    );
    // whatever was accepted is an http(s) URL without credentials, subscribed to known types or '*'
    for (const s of subs) {
      expect(s.url).toMatch(/^https?:\/\//);
      expect(s.url).not.toMatch(/^https?:\/\/[^/]*@/);
      expect(s.event_types.length).toBeGreaterThan(0);
    }
  });
});
