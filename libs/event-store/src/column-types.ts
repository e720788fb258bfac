import type { DataSource } from 'typeorm';
import { XID8 } from './persistence/entities.js';

/**
 * Column types the event store's entities use that TypeORM's PostgreSQL driver does not list.
 * Call on a DataSource before `initialize()` (metadata validation rejects unknown types);
 * `@talent/database`'s `createDataSource` does. Idempotent.
 */
export function registerEventStoreColumnTypes(dataSource: DataSource): void {
  if (dataSource.driver.options.type !== 'postgres') {
    throw new Error(`The event store needs PostgreSQL (got "${dataSource.driver.options.type}")`);
  }
  const supported = dataSource.driver.supportedDataTypes;
  if (!supported.includes(XID8)) supported.push(XID8);
}
