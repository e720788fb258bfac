import type { SqlRunner } from './types.js';

/**
 * Runs a statement that returns rows. TypeORM's postgres `query()` returns `[rows, count]` for a bare
 * UPDATE/DELETE, so statements that modify and return rows are written as
 * `WITH changed AS (UPDATE ... RETURNING ...) SELECT ... FROM changed` and come back as plain rows.
 */
export async function selectRows<T>(db: SqlRunner, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = await db.query(sql, params);
  if (!Array.isArray(result)) throw new TypeError('Expected rows from the query');
  return result as T[];
}
