import { createTestDatabase, type TestDatabase } from '../../support/db.js';

describe('test database harness', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });
  it('gives each file its own migrated database', async () => {
    const rows: Array<{ db: string }> = await db.dataSource.query('SELECT current_database() AS db');
    expect(rows[0]?.db).toBe(db.name);
    const migrations: unknown[] = await db.dataSource.query('SELECT name FROM schema_migrations');
    expect(Array.isArray(migrations)).toBe(true);
  });
});
