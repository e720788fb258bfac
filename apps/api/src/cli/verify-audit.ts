import { pathToFileURL } from 'node:url';
import { createDataSource } from '@talent/database';
import { EventStore, type VerifyChainsResult } from '@talent/event-store';

export interface VerifyAuditOptions {
  databaseUrl: string;
  /** Only this stream (default: every stream). */
  streamId?: string;
  write?: (line: string) => void;
}

/**
 * `npm run audit:verify [-- --stream <id>]`: walks the hash chain of every stream in DATABASE_URL
 * and prints the first broken link (stream and version). Exit code 0 intact, 2 broken.
 */
export async function verifyAudit(
  options: VerifyAuditOptions,
): Promise<{ exitCode: number; result: VerifyChainsResult }> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const ds = createDataSource({
    url: options.databaseUrl,
    poolSize: 1,
    applicationName: 'talent-audit-verify',
  });
  await ds.initialize();
  try {
    const result = await new EventStore(ds).verifyChains(
      options.streamId ? { streamId: options.streamId } : {},
    );
    if (result.ok) {
      write(`ok: ${result.eventsChecked} events, every hash chain intact`);
      return { exitCode: 0, result };
    }
    const b = result.firstBroken;
    write(
      `BROKEN: stream ${b?.streamId ?? '?'} version ${b?.version ?? '?'}: ${b?.reason ?? 'unknown'} ` +
        `(${result.eventsChecked} events verified before it)`,
    );
    return { exitCode: 2, result };
  } finally {
    await ds.destroy();
  }
}

export function parseVerifyAuditArgs(argv: readonly string[]): { streamId?: string } {
  const i = argv.indexOf('--stream');
  if (i === -1) return {};
  const streamId = argv[i + 1];
  if (!streamId) throw new Error('--stream needs a stream id');
  return { streamId };
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL: is required');
  const { exitCode } = await verifyAudit({ databaseUrl, ...parseVerifyAuditArgs(process.argv.slice(2)) });
  process.exitCode = exitCode;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`audit verification failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
