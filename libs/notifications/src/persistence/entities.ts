import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';

/**
 * Persistence models of the notification tables, created by the migration beside this file (never by
 * `synchronize`). The lib reads and writes with plain SQL; these classes exist so TypeORM's schema diff
 * proves the migration and the model agree. Nothing outside `persistence/` uses them.
 */

@Entity({ name: 'user_contacts' })
export class UserContactRecord {
  @PrimaryColumn({ name: 'user_id', type: 'text', primaryKeyConstraintName: 'user_contacts_pkey' })
  userId!: string;

  @Column({ name: 'email', type: 'text', nullable: true })
  email!: string | null;

  @Column({ name: 'display_name', type: 'text', nullable: true })
  displayName!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

@Entity({ name: 'webhook_subscriptions' })
export class WebhookSubscriptionRecord {
  @PrimaryColumn({ name: 'id', type: 'uuid', primaryKeyConstraintName: 'webhook_subscriptions_pkey' })
  id!: string;

  @Column({ name: 'url', type: 'text' })
  url!: string;

  @Column({ name: 'secret', type: 'text' })
  secret!: string;

  @Column({ name: 'event_types', type: 'text', array: true })
  eventTypes!: string[];

  @Column({ name: 'active', type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

@Entity({ name: 'notifications' })
@Unique('notifications_event_recipient_channel_key', ['eventId', 'recipientId', 'channel'])
@Check('notifications_channel_check', `"channel" IN ('in_app', 'email', 'webhook')`)
@Check('notifications_reason_check', `"reason" IN ('must_act', 'affected', 'subscribed')`)
@Index('notifications_inbox_idx', ['recipientId', 'channel', 'occurredAt', 'id'])
export class NotificationRecord {
  @PrimaryColumn({ name: 'id', type: 'uuid', primaryKeyConstraintName: 'notifications_pkey' })
  id!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ name: 'stream_id', type: 'text' })
  streamId!: string;

  @Column({ name: 'recipient_id', type: 'text' })
  recipientId!: string;

  @Column({ name: 'channel', type: 'text' })
  channel!: string;

  @Column({ name: 'reason', type: 'text' })
  reason!: string;

  @Column({ name: 'kind', type: 'text' })
  kind!: string;

  @Column({ name: 'title', type: 'text' })
  title!: string;

  @Column({ name: 'body', type: 'text' })
  body!: string;

  @Column({ name: 'body_html', type: 'text', nullable: true })
  bodyHtml!: string | null;

  @Column({ name: 'data', type: 'jsonb' })
  data!: unknown;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;
}

@Entity({ name: 'notification_deliveries' })
@Unique('notification_deliveries_notification_target_key', ['notificationId', 'target'])
@Check('notification_deliveries_channel_check', `"channel" IN ('email', 'webhook')`)
@Check('notification_deliveries_status_check', `"status" IN ('pending', 'sending', 'sent', 'failed', 'dead')`)
@Check('notification_deliveries_attempts_check', `"attempts" >= 0`)
@Index('notification_deliveries_due_idx', ['status', 'nextAttemptAt'])
export class NotificationDeliveryRecord {
  @PrimaryColumn({ name: 'id', type: 'uuid', primaryKeyConstraintName: 'notification_deliveries_pkey' })
  id!: string;

  @Column({ name: 'notification_id', type: 'uuid' })
  notificationId!: string;

  @ManyToOne(() => NotificationRecord, { onDelete: 'NO ACTION', onUpdate: 'NO ACTION', nullable: false })
  @JoinColumn({
    name: 'notification_id',
    referencedColumnName: 'id',
    foreignKeyConstraintName: 'notification_deliveries_notification_fkey',
  })
  notification?: NotificationRecord;

  @Column({ name: 'subscription_id', type: 'uuid', nullable: true })
  subscriptionId!: string | null;

  @ManyToOne(() => WebhookSubscriptionRecord, {
    onDelete: 'NO ACTION',
    onUpdate: 'NO ACTION',
    nullable: true,
  })
  @JoinColumn({
    name: 'subscription_id',
    referencedColumnName: 'id',
    foreignKeyConstraintName: 'notification_deliveries_subscription_fkey',
  })
  subscription?: WebhookSubscriptionRecord | null;

  @Column({ name: 'channel', type: 'text' })
  channel!: string;

  @Column({ name: 'target', type: 'text' })
  target!: string;

  @Column({ name: 'status', type: 'text', default: () => "'pending'" })
  status!: string;

  @Column({ name: 'attempts', type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'response_code', type: 'integer', nullable: true })
  responseCode!: number | null;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'claim_token', type: 'uuid', nullable: true })
  claimToken!: string | null;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
