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

/** The constraint a unique violation (23505) hit, or undefined for any other error. */
export function uniqueViolation(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const err = e as PgErrorShape;
  const code = err.driverError?.code ?? err.code;
  if (code !== '23505') return undefined;
  return err.driverError?.constraint ?? err.constraint ?? '';
}
