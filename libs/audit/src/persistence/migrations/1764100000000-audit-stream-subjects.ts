import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit read model: which employees a case stream concerns (`employeeTimeline`).
 * The event store's own indexes already serve every audit query on `events` (stream, actor,
 * occurred_at, stream_type), so none is added there.
 */
export class AuditStreamSubjects1764100000000 implements MigrationInterface {
  name = 'AuditStreamSubjects1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "stream_subjects" (
        "stream_id" text NOT NULL,
        "employee_id" text NOT NULL,
        CONSTRAINT "stream_subjects_pkey" PRIMARY KEY ("stream_id", "employee_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "stream_subjects_employee_idx" ON "stream_subjects" ("employee_id", "stream_id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "stream_subjects"`);
  }
}
