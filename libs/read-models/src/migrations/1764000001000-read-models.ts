import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models: disposable tables rebuilt from the event log at any time (see rebuild.ts). Written
 * inline, in the same transaction as the events they reflect.
 */
export class ReadModels1764000001000 implements MigrationInterface {
  name = 'ReadModels1764000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "employees" (
        "employee_id" text NOT NULL,
        "name" text NOT NULL,
        "email" text NOT NULL,
        "team" text NOT NULL,
        "manager_id" text,
        "framework_id" text NOT NULL,
        "track" text NOT NULL,
        "role_id" text NOT NULL,
        "hired_on" date NOT NULL,
        "version" integer NOT NULL,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "employees_pkey" PRIMARY KEY ("employee_id")
      )`);
    await q.query(`CREATE INDEX "employees_team_idx" ON "employees" ("team")`);
    await q.query(`CREATE INDEX "employees_manager_idx" ON "employees" ("manager_id")`);
    await q.query(`CREATE INDEX "employees_framework_idx" ON "employees" ("framework_id")`);
    await q.query(`
      CREATE TABLE "cases" (
        "case_id" uuid NOT NULL,
        "case_type" text NOT NULL,
        "stage" text NOT NULL,
        "employee_id" text,
        "team" text,
        "receiving_team" text,
        "cycle_id" text,
        "opening_id" text,
        "target_role_id" text,
        "framework_id" text,
        "framework_version" integer,
        "machine_version" text NOT NULL,
        "requester_id" text,
        "waiting_on" text array NOT NULL DEFAULT '{}',
        "version" integer NOT NULL,
        "opened_at" timestamptz NOT NULL,
        "updated_at" timestamptz NOT NULL,
        "state" jsonb NOT NULL,
        CONSTRAINT "cases_pkey" PRIMARY KEY ("case_id")
      )`);
    await q.query(`CREATE INDEX "cases_type_stage_idx" ON "cases" ("case_type", "stage")`);
    await q.query(`CREATE INDEX "cases_employee_idx" ON "cases" ("employee_id")`);
    await q.query(`CREATE INDEX "cases_team_idx" ON "cases" ("team")`);
    await q.query(`CREATE INDEX "cases_cycle_idx" ON "cases" ("cycle_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "cases"`);
    await q.query(`DROP TABLE "employees"`);
  }
}
