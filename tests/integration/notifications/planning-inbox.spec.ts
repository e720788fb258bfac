import {
  NotificationInbox,
  createWebhookSubscription,
  notificationEntities,
  planAndStore,
  planNotifications,
  loadPlanningContext,
  storePlanned,
  deliveryId,
  upsertUserContact,
  InvalidNotificationInputError,
} from '@talent/notifications';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { makeEvent } from './helpers.js';

describe('notification tables, planning and the in-app inbox', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await upsertUserContact(db.dataSource, {
      userId: 'mgr-1',
      email: 'mgr-1@example.test',
      displayName: 'Maria Manager',
    });
    await upsertUserContact(db.dataSource, {
      userId: 'emp-1',
      email: 'emp-1@example.test',
      displayName: 'Eve <Employee>',
    });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('the entities describe exactly what the migration created', async () => {
    const names = db.dataSource.entityMetadatas.map((m) => m.tableName);
    expect(names).toEqual(
      expect.arrayContaining([
        'notifications',
        'notification_deliveries',
        'webhook_subscriptions',
        'user_contacts',
      ]),
    );
    expect(notificationEntities).toHaveLength(4);
    const log = await db.dataSource.driver.createSchemaBuilder().log();
    const mine = log.upQueries.filter((q) =>
      /notification|webhook_subscriptions|user_contacts/.test(q.query),
    );
    expect(mine.map((q) => q.query)).toEqual([]);
  });

  it('plans in-app, e-mail and webhook rows; planning the same event again stores nothing new', async () => {
    const sub = await createWebhookSubscription(db.dataSource, {
      url: 'http://127.0.0.1:9/hook',
      eventTypes: ['PromotionRequested'],
      createdBy: 'hr-1',
    });
    await createWebhookSubscription(db.dataSource, {
      url: 'http://127.0.0.1:9/other',
      eventTypes: ['CycleOpened'],
      createdBy: 'hr-1',
    });
    const event = makeEvent({ metadata: { ...makeEvent().metadata, actorId: 'emp-1' } });
    const recipients = [
      { userId: 'mgr-1', reason: 'must_act' as const },
      { userId: 'emp-1', reason: 'affected' as const }, // the actor: not told about their own action
      { userId: 'no-contact', reason: 'affected' as const },
    ];
    const first = await db.dataSource.transaction((tx) => planAndStore(tx, event, recipients));
    const rows: Array<{ recipient_id: string; channel: string; reason: string; title: string }> =
      await db.dataSource.query(
        `SELECT recipient_id, channel, reason, title FROM notifications WHERE event_id = $1 ORDER BY recipient_id, channel`,
        [event.eventId],
      );
    expect(rows.map((r) => [r.recipient_id, r.channel, r.reason])).toEqual([
      ['mgr-1', 'email', 'must_act'],
      ['mgr-1', 'in_app', 'must_act'],
      ['no-contact', 'in_app', 'affected'],
      [`webhook:${sub.id}`, 'webhook', 'subscribed'],
    ]);
    expect(rows[0].title).toBe('Promotion requested for Eve <Employee>');
    expect(first.notificationIds).toHaveLength(4);
    expect(first.deliveryIds).toHaveLength(2);
    const html: Array<{ body_html: string }> = await db.dataSource.query(
      `SELECT body_html FROM notifications WHERE event_id = $1 AND channel = 'email'`,
      [event.eventId],
    );
    expect(html[0].body_html).toContain('Eve &lt;Employee&gt;');
    expect(html[0].body_html).not.toContain('<Employee>');

    const again = await db.dataSource.transaction((tx) => planAndStore(tx, event, recipients));
    expect(again).toEqual({ notificationIds: [], deliveryIds: [] });
    const counts: Array<{ n: number; d: number }> = await db.dataSource.query(
      `SELECT (SELECT count(*)::int FROM notifications WHERE event_id = $1) AS n,
              (SELECT count(*)::int FROM notification_deliveries d JOIN notifications x ON x.id = d.notification_id
                WHERE x.event_id = $1) AS d`,
      [event.eventId],
    );
    expect(counts[0]).toEqual({ n: 4, d: 2 });
  });

  it('re-planning repairs a notification stored without its delivery, and adds no second one', async () => {
    const event = makeEvent({ type: 'TransferApproved', payload: { employeeId: 'emp-1' } });
    const recipients = [{ userId: 'mgr-1', reason: 'affected' as const }];
    const ctx = await loadPlanningContext(db.dataSource, event, recipients);
    const rows = planNotifications(event, recipients, ctx).filter((r) => r.channel === 'email');
    // a half-done plan outside a transaction: the notification row without its delivery
    await storePlanned(
      db.dataSource,
      rows.map((r) => ({ ...r, deliveries: [] })),
    );
    const repaired = await storePlanned(db.dataSource, rows);
    expect(repaired.notificationIds).toEqual([]);
    expect(repaired.deliveryIds).toEqual([rows[0].deliveries[0].id]);
    const changedAddress = rows.map((r) => ({
      ...r,
      deliveries: r.deliveries.map((d) => ({
        ...d,
        id: deliveryId(r.id, 'new@example.test'),
        target: 'new@example.test',
      })),
    }));
    expect(await storePlanned(db.dataSource, changedAddress)).toEqual({
      notificationIds: [],
      deliveryIds: [],
    });
  });

  it('concurrent planning of one event stores each row once', async () => {
    const event = makeEvent({ type: 'CycleOpened', payload: { name: 'H1 2027' } });
    const recipients = [{ userId: 'mgr-1', reason: 'affected' as const }];
    const results = await Promise.all(
      [1, 2, 3].map(() => db.dataSource.transaction((tx) => planAndStore(tx, event, recipients))),
    );
    expect(results.flatMap((r) => r.notificationIds).sort()).toHaveLength(3); // in_app + email + 1 webhook
    const n: Array<{ n: number }> = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM notifications WHERE event_id = $1`,
      [event.eventId],
    );
    expect(n[0].n).toBe(3);
  });

  it('pages the inbox newest first with a cursor, and marks read only the owner’s rows', async () => {
    const inbox = new NotificationInbox(db.dataSource);
    const user = 'inbox-user';
    const other = 'someone-else';
    const events = Array.from({ length: 7 }, (_, i) =>
      makeEvent({
        type: 'DeadlineReminder',
        payload: { deadline: 'approval', dueAt: '2026-12-01T00:00:00.000Z' },
        metadata: {
          ...makeEvent().metadata,
          actorId: 'system',
          // distinct instants and two identical ones (ties broken by id): the cursor must neither skip nor repeat
          occurredAt: `2026-11-0${1 + Math.min(i, 5)}T10:00:00.${String(i === 6 ? 5 : i).padStart(3, '0')}Z`,
        },
      }),
    );
    for (const e of events) {
      await planAndStore(db.dataSource, e, [
        { userId: user, reason: 'must_act' },
        { userId: other, reason: 'affected' },
      ]);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await inbox.listInbox(user, { limit: 3, ...(cursor ? { after: cursor } : {}) });
      seen.push(...page.items.map((i) => i.eventId));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    const expectedOrder = [...events]
      .sort((a, b) => (a.metadata.occurredAt < b.metadata.occurredAt ? 1 : -1))
      .map((e) => e.eventId);
    // equal instants are ordered by id; compare instants only
    const occurred = (id: string) => events.find((e) => e.eventId === id)!.metadata.occurredAt;
    expect(seen.map(occurred)).toEqual(expectedOrder.map(occurred));

    const mine = (await inbox.listInbox(user, { limit: 100 })).items;
    const theirs = (await inbox.listInbox(other, { limit: 100 })).items;
    expect(await inbox.unreadCount(user)).toBe(7);
    // the other user's ids are ignored; a malformed id is ignored
    expect(await inbox.markRead(user, [theirs[0].id, theirs[1].id, 'not-a-uuid'])).toBe(0);
    expect(await inbox.unreadCount(other)).toBe(7);
    expect(await inbox.markRead(user, [mine[0].id, mine[1].id, theirs[2].id])).toBe(2);
    expect(await inbox.markRead(user, [mine[0].id])).toBe(0); // already read
    expect(await inbox.unreadCount(user)).toBe(5);
    const unread = await inbox.listInbox(user, { unreadOnly: true, limit: 100 });
    expect(unread.items.map((i) => i.id)).not.toContain(mine[0].id);
    expect(unread.items).toHaveLength(5);
    expect(unread.nextCursor).toBeNull();
  });

  it('refuses a forged cursor and an out-of-range limit with typed errors', async () => {
    const inbox = new NotificationInbox(db.dataSource);
    await expect(inbox.listInbox('u', { after: 'bm9wZQ' })).rejects.toBeInstanceOf(
      InvalidNotificationInputError,
    );
    await expect(inbox.listInbox('u', { limit: 0 })).rejects.toBeInstanceOf(InvalidNotificationInputError);
  });
});
