import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { verifyExport, type ExportVerification } from '@talent/audit';

export interface VerifyExportFileOptions {
  /** A stream that starts mid-way or skips versions is a failure (default: reported, not a failure). */
  requireComplete?: boolean;
  write?: (line: string) => void;
}

/**
 * `npm run audit:verify-export -- file.ndjson [--complete]`: recomputes the hash chains of an NDJSON
 * export offline (no database), with the event store's own hash. Exit code 0 intact, 2 altered.
 */
export async function verifyExportFile(
  file: string,
  options: VerifyExportFileOptions = {},
): Promise<{ exitCode: number; result: ExportVerification }> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const lines: string[] = [];
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) lines.push(line);
  const result = verifyExport(lines, { requireComplete: options.requireComplete === true });
  if (result.ok) {
    write(
      `ok: ${result.eventsChecked} events in ${result.streams} streams verify` +
        (result.complete
          ? ', every stream complete from version 1'
          : ` (partial export: ${result.incomplete.length} gaps)`),
    );
    return { exitCode: 0, result };
  }
  for (const p of result.problems) {
    write(
      `BROKEN line ${p.line}: ${p.kind}${p.streamId ? ` stream ${p.streamId}` : ''}${
        p.version !== undefined ? ` version ${p.version}` : ''
      }: ${p.detail}`,
    );
  }
  return { exitCode: 2, result };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: npm run audit:verify-export -- <export.ndjson> [--complete]');
  const { exitCode } = await verifyExportFile(file, { requireComplete: args.includes('--complete') });
  process.exitCode = exitCode;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`export verification failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
