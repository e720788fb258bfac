import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event store's tables. `tests/integration/database/migrations-match-entities.spec.ts` proves the
 * entities in `../entities.ts` describe exactly what this creates.
 *
 * - `events.tx_id` is `xid8` defaulting to `pg_current_xact_id()`: subscribers read only rows whose
 *   transaction is older than every running one (`pg_snapshot_xmin`), so none is skipped when
 *   transactions commit out of position order.
 * - `events.occurred_at` repeats `metadata.occurredAt` as a real timestamptz so audit queries by time
 *   can use an index (a text->timestamptz cast is not immutable and cannot be indexed).
 * - Expression indexes (actor) are declared `synchronize: false` in the entity: TypeORM cannot
 *   describe them; the spec checks their definitions directly.
 */
export class EventStoreSchema1764000000000 implements MigrationInterface {
  name = 'EventStoreSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "events" (
        "position" bigserial NOT NULL,
        "event_id" uuid NOT NULL,
        "stream_id" text NOT NULL,
        "stream_type" text NOT NULL,
        "stream_version" integer NOT NULL,
        "tx_id" xid8 NOT NULL DEFAULT pg_current_xact_id(),
        "type" text NOT NULL,
        "schema_version" integer NOT NULL,
        "payload" jsonb NOT NULL,
        "metadata" jsonb NOT NULL,
        "occurred_at" timestamptz NOT NULL,
        "recorded_at" timestamptz NOT NULL DEFAULT now(),
        "prev_hash" bytea,
        "hash" bytea NOT NULL,
        CONSTRAINT "events_pkey" PRIMARY KEY ("position"),
        CONSTRAINT "events_event_id_key" UNIQUE ("event_id"),
        CONSTRAINT "events_stream_version_key" UNIQUE ("stream_id", "stream_version"),
        CONSTRAINT "events_stream_version_positive" CHECK ("stream_version" > 0)
      )`);
    await queryRunner.query(`CREATE INDEX "events_tx_position_idx" ON "events" ("tx_id", "position")`);
    await queryRunner.query(`CREATE INDEX "events_stream_type_idx" ON "events" ("stream_type", "position")`);
    await queryRunner.query(`CREATE INDEX "events_occurred_at_idx" ON "events" ("occurred_at", "position")`);
    await queryRunner.query(
      `CREATE INDEX "events_actor_idx" ON "events" (("metadata" ->> 'actorId'), "position")`,
    );
    await queryRunner.query(`
      CREATE TABLE "snapshots" (
        "stream_id" text NOT NULL,
        "reducer_name" text NOT NULL,
        "reducer_version" integer NOT NULL,
        "stream_version" integer NOT NULL,
        "state" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "snapshots_pkey" PRIMARY KEY ("stream_id", "reducer_name")
      )`);
    await queryRunner.query(`
      CREATE TABLE "subscription_checkpoints" (
        "name" text NOT NULL,
        "tx_id" xid8 NOT NULL DEFAULT '0',
        "position" bigint NOT NULL DEFAULT 0,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "subscription_checkpoints_pkey" PRIMARY KEY ("name")
      )`);
    await queryRunner.query(`
      CREATE TABLE "parked_events" (
        "subscription" text NOT NULL,
        "event_id" uuid NOT NULL,
        "position" bigint NOT NULL,
        "error" text NOT NULL,
        "attempts" integer NOT NULL,
        "parked_at" timestamptz NOT NULL DEFAULT now(),
        "replayed_at" timestamptz,
        CONSTRAINT "parked_events_pkey" PRIMARY KEY ("subscription", "event_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "parked_events_pending_idx" ON "parked_events" ("subscription", "replayed_at", "position")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "parked_events"`);
    await queryRunner.query(`DROP TABLE "subscription_checkpoints"`);
    await queryRunner.query(`DROP TABLE "snapshots"`);
    await queryRunner.query(`DROP TABLE "events"`);
  }
}
