import type { DataSource, QueryRunner } from 'typeorm';

export type Row = Record<string, unknown>;

/** Runs one statement and returns its rows (structured result, so UPDATE ... RETURNING works too). */
export async function runQuery(qr: QueryRunner, sql: string, params: unknown[] = []): Promise<Row[]> {
  const result = await qr.query(sql, params, true);
  return (result.records ?? []) as Row[];
}

/** Runs one statement on a pooled connection (autocommit) or on the given query runner. */
export async function query(
  dataSource: DataSource,
  sql: string,
  params: unknown[] = [],
  qr?: QueryRunner,
): Promise<Row[]> {
  if (qr) return runQuery(qr, sql, params);
  const own = dataSource.createQueryRunner();
  try {
    return await runQuery(own, sql, params);
  } finally {
    await own.release();
  }
}

/** Runs `fn` in a transaction on a fresh pooled connection. */
export async function inTransaction<T>(
  dataSource: DataSource,
  fn: (qr: QueryRunner) => Promise<T>,
): Promise<T> {
  const qr = dataSource.createQueryRunner();
  try {
    await qr.connect();
    await qr.startTransaction();
    try {
      const result = await fn(qr);
      await qr.commitTransaction();
      return result;
    } catch (e) {
      if (qr.isTransactionActive) await qr.rollbackTransaction();
      throw e;
    }
  } finally {
    await qr.release();
  }
}

interface PgErrorShape {
  code?: string;
  constraint?: string;
  driverError?: { code?: string; constraint?: string };
}

/** The SQLSTATE of a PostgreSQL error (through TypeORM's wrapper or not), undefined for others. */
export function sqlState(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const err = e as PgErrorShape;
  return err.driverError?.code ?? err.code;
}

/** The constraint a unique violation (23505) hit, or undefined for any other error. */
export function uniqueViolation(e: unknown): string | undefined {
  if (sqlState(e) !== '23505') return undefined;
  const err = e as PgErrorShape;
  return err.driverError?.constraint ?? err.constraint ?? '';
}

/** What the event store needs of a node-postgres pool (TypeORM's PostgresDriver keeps one as `master`). */
interface PgPoolLike {
  query(config: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: Row[] }>;
}

/**
 * Runs one statement in autocommit on the driver's node-postgres pool as a NAMED prepared statement
 * (parsed and planned once per connection), skipping TypeORM's per-call query-runner setup: the hot
 * path of appends without a transaction. Falls back to `query` if the pool is not reachable.
 */
export async function preparedQuery(
  dataSource: DataSource,
  name: string,
  sql: string,
  params: unknown[],
): Promise<Row[]> {
  const pool = (dataSource.driver as unknown as { master?: PgPoolLike }).master;
  if (!pool || typeof pool.query !== 'function') return query(dataSource, sql, params);
  const result = await pool.query({ name, text: sql, values: params });
  return result.rows;
}
