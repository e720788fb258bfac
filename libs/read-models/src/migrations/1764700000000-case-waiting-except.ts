import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `cases.waiting_except`: entries `<token>!user:<id>` naming a user whom a `waiting_on` token would
 * match but who may take none of the actions it stands for (the requester of a waiver, the employee a
 * decision is about). Rows written before this column are filled in by their case's next event or by
 * `npm run read-models:rebuild`.
 */
export class CaseWaitingExcept1764700000000 implements MigrationInterface {
  name = 'CaseWaitingExcept1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cases" ADD COLUMN "waiting_except" text array NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cases" DROP COLUMN "waiting_except"`);
  }
}
