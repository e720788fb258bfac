/** Who did it, when, why and which request caused it (the event log's `metadata` column). */
export interface NotifiableEventMetadata {
  actorId: string;
  actorRole: string;
  /** ISO-8601 instant. */
  occurredAt: string;
  correlationId: string;
  causationId: string;
  reason?: string;
}

/**
 * A committed event as the notification lib needs it. Structurally a subset of the event store's
 * `StoredEvent`, so either can be passed.
 */
export interface NotifiableEvent {
  eventId: string;
  streamId: string;
  streamType: string;
  streamVersion: number;
  type: string;
  payload: Readonly<Record<string, unknown>>;
  metadata: NotifiableEventMetadata;
}

export const CHANNELS = ['in_app', 'email', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Why a person is told: they must act, or the event affects them. Webhooks are `subscribed`. */
export type RecipientReason = 'must_act' | 'affected';
export type NotificationReason = RecipientReason | 'subscribed';

export interface Recipient {
  userId: string;
  reason: RecipientReason;
}

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type DeliveryChannel = Exclude<Channel, 'in_app'>;

export interface UserContact {
  userId: string;
  email: string | null;
  displayName: string | null;
}

export interface WebhookSubscription {
  id: string;
  url: string;
  secret: string;
  /** Event types delivered to this subscription; `'*'` matches every type. */
  eventTypes: readonly string[];
  active: boolean;
  createdBy: string;
}

/** Anything that runs SQL: a TypeORM DataSource, EntityManager or QueryRunner. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}
