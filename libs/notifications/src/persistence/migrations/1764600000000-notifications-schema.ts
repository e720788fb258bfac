import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notification read model and its delivery log. Fed from the committed event log (planning is
 * idempotent on (event_id, recipient_id, channel)), so these tables can be rebuilt from the log.
 *
 * - `notifications.id` and `notification_deliveries.id` are name-based UUIDs derived from their unique
 *   keys (see `../../ids.ts`): planning the same event twice yields the same ids, e-mail Message-IDs and
 *   BullMQ job ids.
 * - `notification_deliveries.status`: pending -> sending (claimed, `claim_token`/`claimed_at` set) ->
 *   sent | failed (retried at `next_attempt_at`) | dead (gave up). A `sending` row whose claim is older
 *   than the lease is treated as "the worker died mid-send" and is retried (at-least-once window).
 * - No foreign key from `notifications.event_id` to `events`: the read model may be rebuilt or
 *   planned from events carried in jobs; the unique key is what makes planning idempotent.
 */
export class NotificationsSchema1764600000000 implements MigrationInterface {
  name = 'NotificationsSchema1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "user_contacts" (
        "user_id" text NOT NULL,
        "email" text,
        "display_name" text,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "user_contacts_pkey" PRIMARY KEY ("user_id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "webhook_subscriptions" (
        "id" uuid NOT NULL,
        "url" text NOT NULL,
        "secret" text NOT NULL,
        "event_types" text array NOT NULL,
        "active" boolean NOT NULL DEFAULT true,
        "created_by" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "webhook_subscriptions_pkey" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "notifications" (
        "id" uuid NOT NULL,
        "event_id" uuid NOT NULL,
        "event_type" text NOT NULL,
        "stream_id" text NOT NULL,
        "recipient_id" text NOT NULL,
        "channel" text NOT NULL,
        "reason" text NOT NULL,
        "kind" text NOT NULL,
        "title" text NOT NULL,
        "body" text NOT NULL,
        "body_html" text,
        "data" jsonb NOT NULL,
        "occurred_at" timestamptz NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "read_at" timestamptz,
        CONSTRAINT "notifications_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "notifications_event_recipient_channel_key" UNIQUE ("event_id", "recipient_id", "channel"),
        CONSTRAINT "notifications_channel_check" CHECK ("channel" IN ('in_app', 'email', 'webhook')),
        CONSTRAINT "notifications_reason_check" CHECK ("reason" IN ('must_act', 'affected', 'subscribed'))
      )`);
    await queryRunner.query(
      `CREATE INDEX "notifications_inbox_idx" ON "notifications" ("recipient_id", "channel", "occurred_at", "id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "notification_deliveries" (
        "id" uuid NOT NULL,
        "notification_id" uuid NOT NULL,
        "subscription_id" uuid,
        "channel" text NOT NULL,
        "target" text NOT NULL,
        "status" text NOT NULL DEFAULT 'pending',
        "attempts" integer NOT NULL DEFAULT 0,
        "last_error" text,
        "response_code" integer,
        "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
        "claim_token" uuid,
        "claimed_at" timestamptz,
        "sent_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "notification_deliveries_notification_target_key" UNIQUE ("notification_id", "target"),
        CONSTRAINT "notification_deliveries_channel_check" CHECK ("channel" IN ('email', 'webhook')),
        CONSTRAINT "notification_deliveries_status_check"
          CHECK ("status" IN ('pending', 'sending', 'sent', 'failed', 'dead')),
        CONSTRAINT "notification_deliveries_attempts_check" CHECK ("attempts" >= 0),
        CONSTRAINT "notification_deliveries_notification_fkey" FOREIGN KEY ("notification_id")
          REFERENCES "notifications" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION,
        CONSTRAINT "notification_deliveries_subscription_fkey" FOREIGN KEY ("subscription_id")
          REFERENCES "webhook_subscriptions" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION
      )`);
    await queryRunner.query(
      `CREATE INDEX "notification_deliveries_due_idx" ON "notification_deliveries" ("status", "next_attempt_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notification_deliveries"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
    await queryRunner.query(`DROP TABLE "webhook_subscriptions"`);
    await queryRunner.query(`DROP TABLE "user_contacts"`);
  }
}
