import { migrate } from '../data-source.js';

/** `npm run migrate`: applies pending migrations to DATABASE_URL and prints what it applied. */
const url = process.env.DATABASE_URL;
if (!url || !/^postgres(ql)?:\/\//.test(url)) {
  process.stderr.write(
    'DATABASE_URL: is required and must start with postgres:// (e.g. postgres://postgres@127.0.0.1:5432/talent)\n',
  );
  process.exit(78);
}
migrate({ url })
  .then((applied) => {
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
  })
  .catch((e: unknown) => {
    process.stderr.write(`migration failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
