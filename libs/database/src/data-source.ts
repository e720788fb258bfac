import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { eventStoreEntities, eventStoreMigrations, registerEventStoreColumnTypes } from '@talent/event-store';
import { readModelEntities, readModelMigrations } from '@talent/read-models';
import { notificationEntities, notificationMigrations } from '@talent/notifications';
import { auditEntities, auditMigrations } from '@talent/audit';
import { schedulingEntities, schedulingMigrations } from '@talent/scheduling';

/**
 * Every table of the engine is created by a migration listed here, and described by an entity
 * listed here (entities are persistence models only: the domain never imports them).
 * `synchronize` is never used; `tests/integration/database/migrations-match-entities.spec.ts`
 * proves the two lists agree.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const migrationClasses: Function[] = [
  ...eventStoreMigrations,
  ...readModelMigrations,
  ...notificationMigrations,
  ...auditMigrations,
  ...schedulingMigrations,
];
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const entityClasses: MixedList<Function | string | EntitySchema> = [
  ...eventStoreEntities,
  ...readModelEntities,
  ...notificationEntities,
  ...auditEntities,
  ...schedulingEntities,
];

export interface DatabaseConfig {
  url: string;
  poolSize?: number;
  applicationName?: string;
}

export function dataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.url,
    entities: entityClasses,
    migrations: migrationClasses,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: config.poolSize ?? 10,
      application_name: config.applicationName ?? 'talent-engine',
    },
  };
}

export function createDataSource(config: DatabaseConfig): DataSource {
  const dataSource = new DataSource(dataSourceOptions(config));
  // The event store's entities use xid8, which TypeORM's driver does not list; must precede initialize().
  registerEventStoreColumnTypes(dataSource);
  return dataSource;
}

/** Runs every pending migration; returns the names of those applied. */
export async function migrate(config: DatabaseConfig): Promise<string[]> {
  const ds = createDataSource({ ...config, poolSize: 2, applicationName: 'talent-migrate' });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
