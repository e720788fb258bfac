import { deliveryJobId } from './delivery/queue.js';
import { planNotifications, type PlanningContext } from './planning.js';
import type { NotifiableEvent, WebhookSubscription } from './types.js';

const event: NotifiableEvent = {
  eventId: '22222222-2222-4222-8222-222222222222',
  streamId: 'transfer-7',
  streamType: 'transfer',
  streamVersion: 1,
  type: 'TransferRequested',
  payload: { employeeId: 'emp-1', toTeamId: 'team-b' },
  metadata: {
    actorId: 'emp-1',
    actorRole: 'employee',
    occurredAt: '2026-11-02T10:00:00.000Z',
    correlationId: 'c',
    causationId: 'c',
  },
};

const hook = (id: string, eventTypes: string[], active = true): WebhookSubscription => ({
  id,
  url: `https://hooks.example.test/${id}`,
  secret: 'x'.repeat(32),
  eventTypes,
  active,
  createdBy: 'hr',
});

const ctx: PlanningContext = {
  contacts: new Map([
    ['mgr-1', { userId: 'mgr-1', email: 'mgr@example.test', displayName: 'Maria' }],
    ['emp-1', { userId: 'emp-1', email: 'eve@example.test', displayName: 'Eve' }],
    ['hr-1', { userId: 'hr-1', email: null, displayName: 'Hana' }],
  ]),
  subscriptions: [
    hook('33333333-3333-4333-8333-333333333333', ['TransferRequested']),
    hook('44444444-4444-4444-8444-444444444444', ['*']),
    hook('55555555-5555-4555-8555-555555555555', ['CycleOpened']),
    hook('66666666-6666-4666-8666-666666666666', ['*'], false),
  ],
};

describe('planNotifications (pure)', () => {
  it('plans in-app for everyone, e-mail for those with an address, webhooks for matching active subscriptions', () => {
    const rows = planNotifications(
      event,
      [
        { userId: 'mgr-1', reason: 'affected' },
        { userId: 'mgr-1', reason: 'must_act' },
        { userId: 'emp-1', reason: 'affected' },
        { userId: 'hr-1', reason: 'affected' },
      ],
      ctx,
    );
    expect(rows.map((r) => [r.recipientId, r.channel, r.reason])).toEqual([
      ['hr-1', 'in_app', 'affected'],
      ['mgr-1', 'in_app', 'must_act'],
      ['mgr-1', 'email', 'must_act'],
      ['webhook:33333333-3333-4333-8333-333333333333', 'webhook', 'subscribed'],
      ['webhook:44444444-4444-4444-8444-444444444444', 'webhook', 'subscribed'],
    ]);
    const email = rows.find((r) => r.channel === 'email')!;
    expect(email.deliveries).toEqual([
      expect.objectContaining({ channel: 'email', target: 'mgr@example.test', notificationId: email.id }),
    ]);
    expect(email.title).toBe('Transfer requested by Eve');
    expect(email.body).toContain('Action needed: acknowledge the transfer request.');
    const webhookRow = rows.find((r) => r.channel === 'webhook')!;
    expect(webhookRow.data).toMatchObject({ type: 'TransferRequested', payload: { toTeamId: 'team-b' } });
  });

  it('is deterministic: planning again gives the same ids', () => {
    const a = planNotifications(event, [{ userId: 'mgr-1', reason: 'must_act' }], ctx);
    const b = planNotifications(event, [{ userId: 'mgr-1', reason: 'must_act' }], ctx);
    expect(a).toEqual(b);
    const ids = a.flatMap((r) => [r.id, ...r.deliveries.map((d) => d.id)]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of a.flatMap((r) => r.deliveries)) expect(deliveryJobId(d.id)).not.toContain(':');
  });

  it('deliveryJobId is deterministic, colon-free, and refuses non-UUIDs', () => {
    const id = '77777777-7777-4777-8777-777777777777';
    expect(deliveryJobId(id)).toBe(`delivery-${id}`);
    expect(deliveryJobId(id.toUpperCase())).toBe(`delivery-${id}`);
    expect(() => deliveryJobId('a:b')).toThrow('must be a UUID');
  });
});
