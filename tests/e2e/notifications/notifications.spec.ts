import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { verifyWebhookSignature } from '@talent/notifications';
import { startCaseWorld, type CaseWorld } from '../../support/case-world.js';
import type { Person } from '../../support/org.js';
import { eventually, startTestWorker, type TestWorker } from '../../support/worker.js';

interface Item {
  id: string;
  recipientId: string;
  eventType: string;
  streamId: string;
  reason: string;
  occurredAt: string;
  readAt: string | null;
  title: string;
}

/**
 * The in-app inbox over HTTP, fed by the real worker from the committed log: a caller reads their own
 * notifications merged with their role inboxes (role:hr, role:leadership@support...), newest first and
 * cursor-paged; marks only those read; HR manages signed webhook subscriptions.
 */
describe('notifications: /me/notifications and /webhooks', () => {
  let w: CaseWorld;
  let worker: TestWorker;
  let hr2: Person;
  let promotionId: string;
  const http = () => request(w.api.app.getHttpServer());
  const get = (path: string, who: Person) => http().get(path).set('Authorization', `Bearer ${who.token}`);
  const post = (path: string, who: Person, body: unknown = {}) =>
    http()
      .post(path)
      .set('Authorization', `Bearer ${who.token}`)
      .send(body as object);
  const all = async (who: Person, query = '', limit = 100): Promise<Item[]> => {
    const items: Item[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 200; i++) {
      const res = await get(
        `/me/notifications?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        who,
      );
      expect(res.status).toBe(200);
      items.push(...(res.body.items as Item[]));
      cursor = res.body.nextCursor as string | null;
      if (!cursor) return items;
    }
    throw new Error('too many pages');
  };
  const unread = async (who: Person) => {
    const res = await get('/me/notifications/unread-count', who);
    expect(res.status).toBe(200);
    return res.body as { unread: number; byInbox: Record<string, number> };
  };

  beforeAll(async () => {
    w = await startCaseWorld();
    worker = await startTestWorker(w.api.db.url);
    hr2 = { id: 'hr-2', token: w.token({ userId: 'hr-2', roles: ['hr'], team: null }) };
    const opened = await w.c.open('/cases/promotions', w.people.manager, {
      employeeId: 'ce-2',
      targetRoleId: 'senior-engineer',
    });
    expect(opened.status).toBe(201);
    promotionId = opened.body.caseId as string;
    // the relay plans every committed case event; wait until the last one reached the inboxes
    await eventually(
      async () => (await all(w.people.otherEmployee)).some((i) => i.streamId === promotionId),
      30000,
      "ce-2's notification of their promotion case",
    );
  });
  afterAll(async () => {
    await worker.close();
    await w.close();
  });

  it("merges the caller's own inbox with their role inboxes, newest first", async () => {
    const mine = await all(w.people.otherEmployee);
    expect(mine.find((i) => i.streamId === promotionId)).toMatchObject({
      recipientId: 'ce-2',
      reason: 'affected',
      eventType: 'PromotionRequested',
      readAt: null,
    });
    // ce-2 sees only rows addressed to them or to their roles
    expect(new Set(mine.map((i) => i.recipientId))).toEqual(new Set(['ce-2']));

    // the manager acts on the request; HR (a role inbox) too
    const mgr = await all(w.people.manager);
    expect(mgr.find((i) => i.streamId === promotionId && i.recipientId === 'mgr-1')).toMatchObject({
      reason: 'must_act',
    });
    const hr = await all(w.people.hr);
    expect(hr.find((i) => i.streamId === promotionId)).toMatchObject({ recipientId: 'role:hr' });
    // leadership of support reads their team's role inbox; leadership of sales does not see it
    const lead = await all(w.people.leadership);
    const leadInboxes = new Set(lead.map((i) => i.recipientId));
    expect(leadInboxes.has('role:leadership@support')).toBe(true);
    for (const r of leadInboxes) {
      expect(['lead-support', 'role:leadership', 'role:leadership@support']).toContain(r);
    }
    const other = await all(w.people.otherLeadership);
    expect(other.filter((i) => i.recipientId.endsWith('@support'))).toEqual([]);
    // mgr-lead holds manager and leadership in support: both role inboxes merge into one list
    const both = await all(w.people.managerLeader);
    const bothInboxes = new Set(both.map((i) => i.recipientId));
    expect(bothInboxes.has('role:leadership@support')).toBe(true);
    expect([...bothInboxes].every((r) => /^(mgr-lead|role:(manager|leadership)(@support)?)$/.test(r))).toBe(
      true,
    );

    for (const list of [hr, lead, both, mgr]) {
      const keys = list.map((i) => [Date.parse(i.occurredAt), i.id] as const);
      const sorted = [...keys].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
      expect(keys).toEqual(sorted);
      expect(new Set(list.map((i) => i.id)).size).toBe(list.length);
    }
  });

  it('pages the merged inbox with a cursor: no row skipped or repeated', async () => {
    for (const who of [w.people.managerLeader, w.people.hr, w.people.manager]) {
      const whole = await all(who);
      expect(whole.length).toBeGreaterThanOrEqual(3);
      for (const limit of [1, 2]) {
        expect((await all(who, '', limit)).map((i) => i.id)).toEqual(whole.map((i) => i.id));
      }
    }
    // rows of several inboxes interleave in one order
    const merged = await all(w.people.managerLeader);
    expect(new Set(merged.map((i) => i.recipientId)).size).toBeGreaterThanOrEqual(2);
    const first = await get('/me/notifications?limit=2', w.people.managerLeader);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const last = await get(`/me/notifications?limit=100`, w.people.managerLeader);
    expect(last.body.nextCursor).toBeNull();
  });

  it('counts unread rows and marks only the caller’s own or role inbox rows read', async () => {
    const { otherEmployee: ce2, hr, employee: ce1 } = w.people;
    const mine = await all(ce2);
    const before = await unread(ce2);
    expect(before.unread).toBe(mine.filter((i) => !i.readAt).length);
    expect(before.byInbox).toEqual(expect.objectContaining({ 'ce-2': before.unread }));

    // someone else's rows (HR's role inbox, ce-1's own) are not ce-2's to mark
    const hrRows = await all(hr);
    const hrUnread = (await unread(hr)).unread;
    const ce1Rows = await all(ce1);
    const foreign = [...hrRows.slice(0, 3), ...ce1Rows.slice(0, 3)].map((i) => i.id);
    expect(foreign.length).toBeGreaterThan(0);
    const refused = await post('/me/notifications/read', ce2, { ids: foreign });
    expect(refused.status).toBe(200);
    expect(refused.body).toEqual({ marked: 0 });
    expect((await unread(hr)).unread).toBe(hrUnread);

    const target = mine.find((i) => i.streamId === promotionId)!;
    const marked = await post('/me/notifications/read', ce2, { ids: [target.id, ...foreign] });
    expect(marked.body).toEqual({ marked: 1 });
    expect((await unread(ce2)).unread).toBe(before.unread - 1);
    expect((await post('/me/notifications/read', ce2, { ids: [target.id] })).body).toEqual({ marked: 0 });
    const unreadOnly = await all(ce2, '&unreadOnly=true');
    expect(unreadOnly.map((i) => i.id)).not.toContain(target.id);
    expect(unreadOnly).toHaveLength(before.unread - 1);
    expect((await all(ce2)).find((i) => i.id === target.id)?.readAt).toEqual(expect.any(String));

    // a role inbox row read by one holder is read for every holder of the role
    const roleRow = hrRows.find((i) => i.recipientId === 'role:hr' && !i.readAt)!;
    expect((await post('/me/notifications/read', hr, { ids: [roleRow.id] })).body).toEqual({ marked: 1 });
    expect((await all(hr2)).find((i) => i.id === roleRow.id)?.readAt).toEqual(expect.any(String));
    expect((await unread(hr2)).unread).toBe(hrUnread - 1);
  });

  it('answers bad input with 400 and no token with 401', async () => {
    const who = w.people.hr;
    for (const q of ['limit=0', 'limit=101', 'limit=abc', 'cursor=garbage', 'unreadOnly=yes', 'page=2']) {
      const res = await get(`/me/notifications?${q}`, who);
      expect({ q, status: res.status }).toEqual({ q, status: 400 });
      expect(res.body.message).toEqual(expect.any(String));
    }
    const forged = Buffer.from(`123|${randomUUID()}|x`).toString('base64url');
    expect((await get(`/me/notifications?cursor=${forged}`, who)).status).toBe(400);
    for (const body of [
      {},
      { ids: [] },
      { ids: 'x' },
      { ids: ['not-a-uuid'] },
      { ids: [1] },
      { ids: [randomUUID()], x: 1 },
    ]) {
      const res = await post('/me/notifications/read', who, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    expect((await http().get('/me/notifications')).status).toBe(401);
    expect((await http().get('/me/notifications/unread-count')).status).toBe(401);
  });

  describe('webhooks', () => {
    let receiver: Server;
    let url: string;
    const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];

    beforeAll(async () => {
      receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => {
          received.push({ headers: req.headers, body });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/talent`;
    });
    afterAll(async () => {
      await new Promise((r) => receiver.close(r));
    });

    it('HR subscribes (the secret is shown once), lists, deactivates and reactivates', async () => {
      const { hr } = w.people;
      const created = await post('/webhooks', hr, {
        url,
        eventTypes: ['PromotionWithdrawn', 'PromotionWithdrawn'],
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        url,
        eventTypes: ['PromotionWithdrawn'],
        active: true,
        createdBy: 'hr-1',
        createdAt: expect.any(String),
        secret: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      const { id, secret } = created.body as { id: string; secret: string };
      const listed = await get('/webhooks', hr);
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([
        {
          id,
          url,
          eventTypes: ['PromotionWithdrawn'],
          active: true,
          createdBy: 'hr-1',
          createdAt: expect.any(String),
        },
      ]);
      expect(JSON.stringify(listed.body)).not.toContain(secret);

      // a subscribed event is delivered, signed with that secret
      expect((await w.c.act(promotionId, 'withdraw', w.people.manager)).status).toBe(200);
      const delivery = await eventually(
        async () => received.find((r) => r.headers['x-talent-event'] === 'PromotionWithdrawn'),
        30000,
        'the webhook delivery',
      );
      const ts = String(delivery.headers['x-talent-timestamp']);
      const sig = String(delivery.headers['x-talent-signature']);
      expect(verifyWebhookSignature(secret, ts, delivery.body, sig, 300)).toBe(true);
      expect(JSON.parse(delivery.body)).toMatchObject({
        event: { streamId: promotionId, type: 'PromotionWithdrawn' },
      });

      const off = await post(`/webhooks/${id}/deactivate`, hr);
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({ id, active: false });
      expect(off.body.secret).toBeUndefined();
      expect((await post(`/webhooks/${id}/deactivate`, hr)).body).toMatchObject({ active: false });
      expect((await get('/webhooks', hr)).body.items[0]).toMatchObject({ id, active: false });
      const on = await post(`/webhooks/${id}/activate`, hr);
      expect(on.status).toBe(200);
      expect(on.body).toMatchObject({ id, active: true });
      expect((await post('/webhooks', hr, { url, eventTypes: ['*'] })).status).toBe(201);
      expect((await get('/webhooks', hr)).body.items).toHaveLength(2);
    });

    it('is HR only, and refuses bad URLs, event types and ids', async () => {
      const { hr, manager, auditor, leadership, employee } = w.people;
      const id = ((await get('/webhooks', hr)).body.items as Array<{ id: string }>)[0].id;
      const before = (await get('/webhooks', hr)).body.items as unknown[];
      for (const who of [manager, auditor, leadership, employee]) {
        expect((await post('/webhooks', who, { url, eventTypes: ['*'] })).status).toBe(403);
        expect((await get('/webhooks', who)).status).toBe(403);
        expect((await post(`/webhooks/${id}/deactivate`, who)).status).toBe(403);
        expect((await post(`/webhooks/${id}/activate`, who)).status).toBe(403);
      }
      const bad: unknown[] = [
        {},
        { url },
        { url, eventTypes: [] },
        { url, eventTypes: 'PromotionRequested' },
        { url, eventTypes: ['NoSuchEvent'] },
        { url, eventTypes: ['Promotion Requested'] },
        { url: 'not a url', eventTypes: ['*'] },
        { url: 'ftp://example.com/hook', eventTypes: ['*'] },
        { url: 'https://user:pass@example.com/hook', eventTypes: ['*'] },
        { url, eventTypes: ['*'], secret: 'mine-mine-mine-mine' },
      ];
      for (const body of bad) {
        const res = await post('/webhooks', hr, body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.body.message).toEqual(expect.any(String));
      }
      expect((await post('/webhooks/not-a-uuid/deactivate', hr)).status).toBe(400);
      expect((await post(`/webhooks/${randomUUID()}/activate`, hr)).status).toBe(404);
      expect((await get('/webhooks', hr)).body.items).toEqual(before);
    });
  });
});
