import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createDataSource } from '@talent/database';
import { EventStore } from '@talent/event-store';
import { FrameworkCatalogReader, PublishFrameworkCommand, PublishFrameworkHandler } from '@talent/use-cases';
import { isDomainError } from '@talent/workflows';

/**
 * `npm run frameworks:load [dir]`: publishes every framework document in `frameworks/` (or dir)
 * whose version is newer than the published one, as the system actor. Safe to run repeatedly.
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL: is required');
  const dir = resolve(process.argv[2] ?? 'frameworks');
  const ds = createDataSource({ url, poolSize: 2, applicationName: 'talent-frameworks' });
  await ds.initialize();
  try {
    const store = new EventStore(ds);
    const handler = new PublishFrameworkHandler(store, new FrameworkCatalogReader(store));
    const files = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
    for (const file of files) {
      const text = await readFile(join(dir, file), 'utf8');
      const ctx = {
        actor: { userId: 'system', roles: ['system' as const], team: null },
        now: new Date().toISOString(),
        requestId: `load-${file}`,
      };
      try {
        const r = await handler.execute(new PublishFrameworkCommand(text, ctx));
        process.stdout.write(`published ${r.frameworkId} v${r.version} from ${file}\n`);
      } catch (e) {
        if (isDomainError(e) && /not newer/.test(e.message))
          process.stdout.write(`${file}: already published\n`);
        else throw e;
      }
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`loading frameworks failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
