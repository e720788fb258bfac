import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The durable side of scheduled work. The relay writes a row per job in the same transaction that
 * moves its checkpoint; a dispatcher copies due-soon rows into BullMQ with the row's id as job id.
 * Redis only schedules: if it is down or loses its data, the rows are still here and are enqueued
 * again (a job whose row is done or cancelled does nothing).
 */
export class ScheduledJobs1764000002000 implements MigrationInterface {
  name = 'ScheduledJobs1764000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "scheduled_jobs" (
        "job_id" text NOT NULL,
        "queue" text NOT NULL,
        "name" text NOT NULL,
        "data" jsonb NOT NULL,
        "run_at" timestamptz NOT NULL,
        "state" text NOT NULL DEFAULT 'pending',
        "attempts" integer NOT NULL DEFAULT 0,
        "last_error" text,
        "outcome" text,
        "source_event_id" uuid,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "scheduled_jobs_pkey" PRIMARY KEY ("job_id"),
        CONSTRAINT "scheduled_jobs_state_check" CHECK ("state" IN ('pending', 'enqueued', 'done', 'cancelled', 'failed'))
      )`);
    await q.query(`CREATE INDEX "scheduled_jobs_state_run_at_idx" ON "scheduled_jobs" ("state", "run_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "scheduled_jobs"`);
  }
}
