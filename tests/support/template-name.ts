import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The template database is named after a hash of every migration file, so a run with other
 * migrations builds its own template and concurrent runs never drop each other's.
 */
export function templateDatabaseName(root = process.cwd()): string {
  const hash = createHash('sha256');
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (name === 'node_modules' || name === 'dist') return [];
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  const files = walk(join(root, 'libs'))
    .filter((f) => /[\\/]migrations[\\/][^\\/]+\.ts$/.test(f))
    .sort();
  for (const f of files) hash.update(f).update(readFileSync(f));
  return `talent_test_tpl_${hash.digest('hex').slice(0, 16)}`;
}

/** Test databases carry their creation time (base36 ms) after the prefix. */
export function createdAtOf(database: string): number | undefined {
  const m = /^talent_test_([0-9a-z]+)_[0-9a-f]{8}$/.exec(database);
  return m?.[1] ? parseInt(m[1], 36) : undefined;
}
