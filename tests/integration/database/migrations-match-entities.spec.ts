import { jest } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';

// Real PostgreSQL under concurrency: jest's project-level testTimeout is not applied to projects.
jest.setTimeout(60_000);

/**
 * The migrations create exactly what the entities describe: on a freshly migrated database, TypeORM's
 * schema diff (what `synchronize` or `migration:generate` would run) is empty. Objects TypeORM cannot
 * describe (expression indexes, declared `synchronize: false`) are checked against pg_catalog instead.
 */
describe('migrations match entities', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(2);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('leaves nothing for the schema builder to do', async () => {
    const sql = await db.dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('has no pending migration', async () => {
    expect(await db.dataSource.showMigrations()).toBe(false);
  });

  it('keeps the column types TypeORM cannot spell (xid8) and the hot-path types exactly', async () => {
    const rows: Array<{
      table_name: string;
      column_name: string;
      type: string;
      column_default: string | null;
    }> = await db.dataSource.query(
      `SELECT c.table_name, c.column_name, format_type(a.atttypid, a.atttypmod) AS type, c.column_default
         FROM information_schema.columns c
         JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_name))::regclass AND a.attname = c.column_name
         WHERE c.table_schema = 'public' AND c.table_name IN ('events', 'subscription_checkpoints')
         ORDER BY c.table_name, c.ordinal_position`,
    );
    const of = (t: string, c: string) => rows.find((r) => r.table_name === t && r.column_name === c);
    expect(of('events', 'tx_id')).toMatchObject({ type: 'xid8', column_default: 'pg_current_xact_id()' });
    expect(of('events', 'position')?.type).toBe('bigint');
    expect(of('events', 'payload')?.type).toBe('jsonb');
    expect(of('events', 'hash')?.type).toBe('bytea');
    expect(of('events', 'recorded_at')?.type).toBe('timestamp with time zone');
    expect(of('subscription_checkpoints', 'tx_id')?.type).toBe('xid8');
  });

  it('creates the indexes the entity cannot describe', async () => {
    const rows: Array<{ indexname: string; indexdef: string }> = await db.dataSource.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'events' ORDER BY indexname`,
    );
    const defs = Object.fromEntries(rows.map((r) => [r.indexname, r.indexdef]));
    expect(defs.events_actor_idx).toBe(
      `CREATE INDEX events_actor_idx ON public.events USING btree (((metadata ->> 'actorId'::text)), "position")`,
    );
    expect(Object.keys(defs).sort()).toEqual([
      'events_actor_idx',
      'events_event_id_key',
      'events_occurred_at_idx',
      'events_pkey',
      'events_stream_type_idx',
      'events_stream_version_key',
      'events_tx_position_idx',
    ]);
  });
});
