import pg from 'pg';

/**
 * Drops the template database and leftovers of interrupted runs. The template is rebuilt from the
 * current migrations by the first test file that needs it (see `createTestDatabase`), inside jest's
 * module system, so workspace libs resolve to their sources.
 */
export default async function globalSetup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = new URL(url).pathname.slice(1);
  if (!/test/i.test(name)) throw new Error(`TEST_DATABASE_URL must name a test database (got "${name}")`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const old = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'talent\\_test\\_%'`,
    );
    for (const row of old.rows) await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
