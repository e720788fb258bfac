import { createDataSource } from '@talent/database';
import { EventStore } from '@talent/event-store';
import {
  buildUpcasters,
  CaseContextBuilder,
  CaseRepository,
  EligibilityContextReader,
  EmployeeRepository,
  FrameworkCatalogReader,
  ReadModelRebuilder,
  RebuildReadModelsHandler,
} from '@talent/use-cases';

/**
 * `npm run read-models:rebuild`: drops and rebuilds the `employees` and `cases` read models (one
 * transaction; readers see the old rows until it commits, writers wait) and `stream_subjects` from
 * the event log alone. Safe to run at any time, as often as you like.
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL: is required');
  const ds = createDataSource({ url, poolSize: 2, applicationName: 'talent-read-models-rebuild' });
  await ds.initialize();
  try {
    const store = new EventStore(ds, { upcasters: buildUpcasters() });
    const context = new CaseContextBuilder(
      store,
      new EmployeeRepository(store),
      new FrameworkCatalogReader(store),
      new EligibilityContextReader(store),
    );
    const handler = new RebuildReadModelsHandler(
      new ReadModelRebuilder(store, new CaseRepository(store), context),
    );
    const started = Date.now();
    const r = await handler.execute();
    process.stdout.write(
      `rebuilt from ${r.eventsRead} events: ${r.employees} employees, ${r.cases} cases, ${r.streamSubjects} stream subjects (${Date.now() - started} ms)\n`,
    );
  } finally {
    await ds.destroy();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`rebuilding read models failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
