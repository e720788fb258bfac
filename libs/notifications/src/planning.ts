import { deliveryId, notificationId } from './ids.js';
import { selectRows } from './sql.js';
import { renderNotification } from './templates/templates.js';
import type {
  Channel,
  DeliveryChannel,
  NotifiableEvent,
  NotificationReason,
  Recipient,
  SqlRunner,
  UserContact,
  WebhookSubscription,
} from './types.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What planning needs besides the event; `loadPlanningContext` reads it from the database. */
export interface PlanningContext {
  /** Contacts by user id: e-mail addresses of recipients and display names of people named. */
  contacts: ReadonlyMap<string, UserContact>;
  /** Active webhook subscriptions (those not matching the event type are ignored). */
  subscriptions: readonly WebhookSubscription[];
  appUrl?: string;
}

export interface PlannedDelivery {
  id: string;
  notificationId: string;
  channel: DeliveryChannel;
  /** E-mail address or URL. */
  target: string;
  subscriptionId: string | null;
}

export interface PlannedNotification {
  id: string;
  eventId: string;
  eventType: string;
  streamId: string;
  /** A user id, or `webhook:<subscription id>` for the webhook channel. */
  recipientId: string;
  channel: Channel;
  reason: NotificationReason;
  /** The event type the notification is about. */
  kind: string;
  title: string;
  body: string;
  html: string | null;
  data: { [key: string]: JsonValue };
  occurredAt: string;
  deliveries: PlannedDelivery[];
}

export interface StoreResult {
  /** Notifications written by this call (a repeated plan writes none). */
  notificationIds: string[];
  /** Deliveries written by this call: enqueue them once the transaction commits. */
  deliveryIds: string[];
}

export function webhookRecipientId(subscriptionId: string): string {
  return `webhook:${subscriptionId}`;
}

export function subscriptionMatches(sub: WebhookSubscription, eventType: string): boolean {
  return sub.active && (sub.eventTypes.includes(eventType) || sub.eventTypes.includes('*'));
}

/** The body POSTed to webhook subscribers: the event, without free-text metadata. */
export function webhookPayload(event: NotifiableEvent): { [key: string]: JsonValue } {
  return {
    eventId: event.eventId,
    type: event.type,
    streamId: event.streamId,
    streamType: event.streamType,
    streamVersion: event.streamVersion,
    occurredAt: event.metadata.occurredAt,
    actorId: event.metadata.actorId,
    actorRole: event.metadata.actorRole,
    correlationId: event.metadata.correlationId,
    payload: JSON.parse(JSON.stringify(event.payload)) as JsonValue,
  };
}

/**
 * Turns one committed event and the people it concerns into notification rows: in-app for every
 * recipient, e-mail for those with an address, one webhook notification per matching active
 * subscription. Pure and deterministic: ids derive from (event, recipient, channel), so planning the
 * same event again yields identical rows.
 *
 * A recipient listed twice keeps the stronger reason (`must_act`). The actor is not told about their
 * own action unless they must act on it.
 */
export function planNotifications(
  event: NotifiableEvent,
  recipients: readonly Recipient[],
  ctx: PlanningContext,
): PlannedNotification[] {
  const reasons = new Map<string, Recipient['reason']>();
  for (const r of recipients) {
    if (r.reason === 'affected' && r.userId === event.metadata.actorId) continue;
    if (reasons.get(r.userId) !== 'must_act') reasons.set(r.userId, r.reason);
  }
  const names: Record<string, string> = {};
  for (const [id, c] of ctx.contacts) if (c.displayName) names[id] = c.displayName;

  const base = {
    eventId: event.eventId,
    eventType: event.type,
    streamId: event.streamId,
    kind: event.type,
    occurredAt: event.metadata.occurredAt,
  };
  const data = {
    eventId: event.eventId,
    eventType: event.type,
    streamId: event.streamId,
    streamType: event.streamType,
    streamVersion: event.streamVersion,
    actorId: event.metadata.actorId,
  };
  const rows: PlannedNotification[] = [];
  for (const [userId, reason] of [...reasons].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const rendered = renderNotification(event, {
      recipientId: userId,
      reason,
      names,
      ...(ctx.appUrl ? { appUrl: ctx.appUrl } : {}),
    });
    const common = { ...base, recipientId: userId, reason, title: rendered.title, body: rendered.body };
    const inAppId = notificationId(event.eventId, userId, 'in_app');
    rows.push({
      ...common,
      id: inAppId,
      channel: 'in_app',
      html: null,
      data: { ...data, reason },
      deliveries: [],
    });
    const email = ctx.contacts.get(userId)?.email?.trim();
    if (email) {
      const id = notificationId(event.eventId, userId, 'email');
      rows.push({
        ...common,
        id,
        channel: 'email',
        html: rendered.html ?? null,
        data: { ...data, reason },
        deliveries: [
          {
            id: deliveryId(id, email),
            notificationId: id,
            channel: 'email',
            target: email,
            subscriptionId: null,
          },
        ],
      });
    }
  }
  const hooks = ctx.subscriptions
    .filter((s) => subscriptionMatches(s, event.type))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (hooks.length) {
    const rendered = renderNotification(event, { recipientId: '', reason: 'subscribed', names });
    for (const sub of hooks) {
      const recipientId = webhookRecipientId(sub.id);
      const id = notificationId(event.eventId, recipientId, 'webhook');
      rows.push({
        ...base,
        id,
        recipientId,
        channel: 'webhook',
        reason: 'subscribed',
        title: rendered.title,
        body: rendered.body,
        html: null,
        data: webhookPayload(event),
        deliveries: [
          {
            id: deliveryId(id, sub.url),
            notificationId: id,
            channel: 'webhook',
            target: sub.url,
            subscriptionId: sub.id,
          },
        ],
      });
    }
  }
  return rows;
}

/**
 * Writes planned rows; run it in the caller's transaction. Idempotent: a notification whose
 * (event_id, recipient_id, channel) exists is skipped, and a delivery is written only for a notification
 * that has none.
 * Only that unique key is an arbiter: any other violation (check, foreign key, an id clash with
 * different content) raises.
 */
export async function storePlanned(
  tx: SqlRunner,
  rows: readonly PlannedNotification[],
): Promise<StoreResult> {
  const result: StoreResult = { notificationIds: [], deliveryIds: [] };
  for (const n of rows) {
    const inserted = await selectRows<{ id: string }>(
      tx,
      `INSERT INTO notifications
         (id, event_id, event_type, stream_id, recipient_id, channel, reason, kind, title, body, body_html, data, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::timestamptz)
       ON CONFLICT (event_id, recipient_id, channel) DO NOTHING
       RETURNING id`,
      [
        n.id,
        n.eventId,
        n.eventType,
        n.streamId,
        n.recipientId,
        n.channel,
        n.reason,
        n.kind,
        n.title,
        n.body,
        n.html,
        JSON.stringify(n.data),
        n.occurredAt,
      ],
    );
    if (inserted.length > 0) result.notificationIds.push(n.id);
    for (const d of n.deliveries) {
      // One delivery per notification (one address or URL). Also repairs a notification stored without it (a plan run outside a transaction that
      // died half-way); a notification that has any delivery already gets none added.
      const added = await selectRows<{ id: string }>(
        tx,
        `INSERT INTO notification_deliveries (id, notification_id, subscription_id, channel, target)
         SELECT $1::uuid, $2::uuid, $3::uuid, $4::text, $5::text
          WHERE NOT EXISTS (SELECT 1 FROM notification_deliveries WHERE notification_id = $2::uuid)
         ON CONFLICT (notification_id, target) DO NOTHING
         RETURNING id`,
        [d.id, d.notificationId, d.subscriptionId, d.channel, d.target],
      );
      if (added.length > 0) result.deliveryIds.push(d.id);
    }
  }
  return result;
}

const NAME_FIELDS = ['employeeId', 'applicantId', 'candidateId', 'managerId'];
const NAME_LIST_FIELDS = ['eligibleEmployeeIds', 'closeEmployeeIds'];

/** Reads the contacts (recipients and people the event names) and matching active subscriptions. */
export async function loadPlanningContext(
  db: SqlRunner,
  event: NotifiableEvent,
  recipients: readonly Recipient[],
  appUrl?: string,
): Promise<PlanningContext> {
  const ids = new Set<string>([event.metadata.actorId, ...recipients.map((r) => r.userId)]);
  for (const f of NAME_FIELDS) {
    const v = event.payload[f];
    if (typeof v === 'string') ids.add(v);
  }
  for (const f of NAME_LIST_FIELDS) {
    const v = event.payload[f];
    if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') ids.add(x);
  }
  const contacts = await selectRows<{ user_id: string; email: string | null; display_name: string | null }>(
    db,
    `SELECT user_id, email, display_name FROM user_contacts WHERE user_id = ANY($1::text[])`,
    [[...ids]],
  );
  const subs = await selectRows<{
    id: string;
    url: string;
    secret: string;
    event_types: string[];
    active: boolean;
    created_by: string;
  }>(
    db,
    `SELECT id, url, secret, event_types, active, created_by FROM webhook_subscriptions
      WHERE active AND (event_types @> ARRAY[$1]::text[] OR event_types @> ARRAY['*']::text[])`,
    [event.type],
  );
  return {
    contacts: new Map(
      contacts.map((c) => [c.user_id, { userId: c.user_id, email: c.email, displayName: c.display_name }]),
    ),
    subscriptions: subs.map((s) => ({
      id: s.id,
      url: s.url,
      secret: s.secret,
      eventTypes: s.event_types,
      active: s.active,
      createdBy: s.created_by,
    })),
    ...(appUrl ? { appUrl } : {}),
  };
}

/** Loads the context, plans and stores in one go (run it inside the caller's transaction). */
export async function planAndStore(
  tx: SqlRunner,
  event: NotifiableEvent,
  recipients: readonly Recipient[],
  options: { appUrl?: string } = {},
): Promise<StoreResult> {
  const ctx = await loadPlanningContext(tx, event, recipients, options.appUrl);
  return storePlanned(tx, planNotifications(event, recipients, ctx));
}
