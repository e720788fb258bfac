import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Eligibility of every employee under a framework, evaluated when a review cycle opens. */
export class CycleEligibility1764000003000 implements MigrationInterface {
  name = 'CycleEligibility1764000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "cycle_eligibility" (
        "cycle_id" uuid NOT NULL,
        "employee_id" text NOT NULL,
        "target_role_id" text NOT NULL,
        "manager_id" text,
        "eligible" boolean NOT NULL,
        "unmet" integer NOT NULL,
        "verdict" jsonb NOT NULL,
        "as_of" date NOT NULL,
        CONSTRAINT "cycle_eligibility_pkey" PRIMARY KEY ("cycle_id", "employee_id", "target_role_id")
      )`);
    await q.query(
      `CREATE INDEX "cycle_eligibility_manager_idx" ON "cycle_eligibility" ("cycle_id", "manager_id")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "cycle_eligibility"`);
  }
}
