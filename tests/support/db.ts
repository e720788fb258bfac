import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource, migrate } from '@talent/database';

/**
 * Each integration test file gets a database of its own, cloned from a template that global setup
 * migrated once (the Immich pattern). Refuses to run against a server URL whose database name does
 * not say "test".
 */
import { templateDatabaseName } from './template-name.js';

export const TEMPLATE_DB = templateDatabaseName();

export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = new URL(url).pathname.slice(1);
  if (!/test/i.test(name)) {
    throw new Error(`TEST_DATABASE_URL must name a database whose name says "test" (got "${name}")`);
  }
  return url;
}

export function urlFor(database: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  dataSource: DataSource;
  /** Opens another DataSource on the same database (e.g. a second "process"). */
  connect(poolSize?: number): Promise<DataSource>;
  drop(): Promise<void>;
}

/** Creates and migrates the template once per run; concurrent test workers wait on an advisory lock. */
async function ensureTemplate(): Promise<void> {
  await withAdmin(async (c) => {
    await c.query('SELECT pg_advisory_lock(727001)');
    try {
      const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE_DB]);
      if (found.rowCount) return;
      await c.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
      try {
        await migrate({ url: urlFor(TEMPLATE_DB) });
      } catch (e) {
        await c.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`);
        throw e;
      }
    } finally {
      await c.query('SELECT pg_advisory_unlock(727001)');
    }
  });
}

export async function createTestDatabase(poolSize = 10): Promise<TestDatabase> {
  await ensureTemplate();
  const name = `talent_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (c) => {
    // CREATE DATABASE ... TEMPLATE needs no other session on the template; retry briefly if one lingers.
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DB}"`);
        return;
      } catch (e) {
        if (attempt > 20) throw e;
        await new Promise((r) => setTimeout(r, 100 + attempt * 50));
      }
    }
  });
  const url = urlFor(name);
  const opened: DataSource[] = [];
  const connect = async (size = poolSize): Promise<DataSource> => {
    const ds = createDataSource({ url, poolSize: size, applicationName: 'talent-test' });
    await ds.initialize();
    opened.push(ds);
    return ds;
  };
  const dataSource = await connect();
  return {
    name,
    url,
    dataSource,
    connect,
    async drop() {
      for (const ds of opened) if (ds.isInitialized) await ds.destroy();
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
