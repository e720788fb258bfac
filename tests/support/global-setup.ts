import pg from 'pg';
import { createdAtOf, templateDatabaseName } from './template-name.ts';

const STALE_MS = 2 * 3600 * 1000;

/**
 * Removes what interrupted runs left behind: test databases older than two hours and templates of
 * other migration sets. Never touches a database another run may be using right now.
 */
export default async function globalSetup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = new URL(url).pathname.slice(1);
  if (!/test/i.test(name)) throw new Error(`TEST_DATABASE_URL must name a test database (got "${name}")`);
  const template = templateDatabaseName();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const dbs = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'talent\\_test\\_%'`,
    );
    for (const { datname } of dbs.rows) {
      const created = createdAtOf(datname);
      const staleTest = created !== undefined && Date.now() - created > STALE_MS;
      const otherTemplate = datname.startsWith('talent_test_tpl_') && datname !== template;
      if (staleTest || otherTemplate) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
