import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { canonicalJson } from '@talent/event-store';
import { InvalidFilterError } from './errors.js';
import type { Instant } from './filters.js';
import {
  compileActorActivity,
  compileApprovals,
  compileCaseHistory,
  compileEmployeeTimeline,
  compilePeriod,
  compileStream,
  compileWaiversGranted,
  fetchRawPage,
  type ApprovalVocabulary,
  type CompiledQuery,
} from './queries.js';
import { keyOf, type CursorKeyed, type EventRow, type JsonObject } from './rows.js';

export type ExportQuery =
  | { kind: 'caseHistory'; caseId: string }
  | { kind: 'employeeTimeline'; employeeId: string; from?: Instant; to?: Instant }
  | { kind: 'actorActivity'; actorId: string; from: Instant; to: Instant }
  | {
      kind: 'approvals';
      from: Instant;
      to: Instant;
      approverId?: string;
      streamTypes?: readonly string[];
      vocabulary?: ApprovalVocabulary;
    }
  | { kind: 'waiversGranted'; from: Instant; to: Instant; type?: string; streamType?: string }
  /** Every event that occurred in [from, to). */
  | { kind: 'period'; from: Instant; to: Instant }
  /** One whole stream: the export a third party can verify end to end. */
  | { kind: 'stream'; streamId: string };

export type ExportFormat = 'csv' | 'ndjson';

/** One exported event: everything needed to recompute its hash and link it to its predecessor. */
export interface ExportRow {
  position: string;
  event_id: string;
  stream_id: string;
  stream_type: string;
  version: number;
  type: string;
  schema_version: number;
  actor_id: string;
  actor_role: string;
  reason: string | null;
  occurred_at: string;
  recorded_at: string;
  payload: JsonObject;
  metadata: JsonObject;
  /** Hex sha256 of the previous event of the stream (null for its first). */
  prev_hash: string | null;
  hash: string;
}

export const EXPORT_COLUMNS: ReadonlyArray<keyof ExportRow> = [
  'position',
  'event_id',
  'stream_id',
  'stream_type',
  'version',
  'type',
  'schema_version',
  'actor_id',
  'actor_role',
  'reason',
  'occurred_at',
  'recorded_at',
  'payload',
  'metadata',
  'prev_hash',
  'hash',
];

export interface ExportOptions {
  /** Rows fetched per round trip (default 1000, at most 10000). Memory is bounded by about one page. */
  pageSize?: number;
  /** Called after each page is fetched (instrumentation, progress). */
  onPage?: (rows: number) => void;
}

export function compileExport(query: ExportQuery): CompiledQuery {
  switch (query.kind) {
    case 'caseHistory':
      return compileCaseHistory(query.caseId);
    case 'employeeTimeline':
      return compileEmployeeTimeline(query.employeeId, query);
    case 'actorActivity':
      return compileActorActivity(query.actorId, query);
    case 'approvals':
      return compileApprovals(query);
    case 'waiversGranted':
      return compileWaiversGranted(query);
    case 'period':
      return compilePeriod(query);
    case 'stream':
      return compileStream(query.streamId);
    default:
      throw new InvalidFilterError(
        'kind',
        `unknown export query "${String((query as { kind: unknown }).kind)}"`,
      );
  }
}

function text(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function toExportRow(r: EventRow): ExportRow {
  const m = r.metadata ?? {};
  return {
    position: r.position,
    event_id: r.event_id,
    stream_id: r.stream_id,
    stream_type: r.stream_type,
    version: r.stream_version,
    type: r.type,
    schema_version: r.schema_version,
    actor_id: text(m.actorId) ?? '',
    actor_role: text(m.actorRole) ?? '',
    reason: text(m.reason),
    occurred_at: r.occurred_at.toISOString(),
    recorded_at: r.recorded_at.toISOString(),
    payload: r.payload,
    metadata: m,
    prev_hash: r.prev_hash,
    hash: r.hash,
  };
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF (or edge spaces); quotes doubled. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvHeader(): string {
  return `${EXPORT_COLUMNS.join(',')}\r\n`;
}

export function csvLine(row: ExportRow): string {
  return (
    EXPORT_COLUMNS.map((c) => {
      const v = row[c];
      return csvField(typeof v === 'object' && v !== null ? canonicalJson(v) : v);
    }).join(',') + '\r\n'
  );
}

export function ndjsonLine(row: ExportRow): string {
  return `${JSON.stringify(row)}\n`;
}

/**
 * Streams a query's rows as CSV (header first, CRLF lines) or NDJSON, a page at a time (keyset
 * pagination) inside one REPEATABLE READ, READ ONLY transaction: the export is a consistent
 * snapshot, and never more than about one page is held in memory (the Readable pulls the next page
 * only when the consumer drains). Bad filters throw here, before anything is streamed. Destroying the
 * stream early ends the transaction and releases the connection.
 */
export function exportRows(
  dataSource: DataSource,
  query: ExportQuery,
  format: ExportFormat,
  options: ExportOptions = {},
): Readable {
  if (format !== 'csv' && format !== 'ndjson') {
    throw new InvalidFilterError('format', `must be "csv" or "ndjson" (got "${String(format)}")`);
  }
  const pageSize = options.pageSize ?? 1000;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10000) {
    throw new InvalidFilterError('pageSize', `must be an integer in 1..10000 (got ${String(pageSize)})`);
  }
  const compiled = compileExport(query);
  const line = format === 'csv' ? csvLine : ndjsonLine;
  return Readable.from(exportChunks(dataSource, compiled, pageSize, line, format === 'csv', options.onPage), {
    objectMode: false,
  });
}

async function* exportChunks(
  dataSource: DataSource,
  compiled: CompiledQuery,
  pageSize: number,
  line: (r: ExportRow) => string,
  header: boolean,
  onPage: ((rows: number) => void) | undefined,
): AsyncGenerator<string> {
  const qr = dataSource.createQueryRunner();
  try {
    await qr.connect();
    await qr.startTransaction('REPEATABLE READ');
    await qr.query('SET TRANSACTION READ ONLY');
    if (header) yield csvHeader();
    let key: CursorKeyed = null;
    for (;;) {
      const { rows, more } = await fetchRawPage(qr, compiled, key, pageSize);
      onPage?.(rows.length);
      if (rows.length > 0) yield rows.map((r) => line(toExportRow(r))).join('');
      const last = rows[rows.length - 1];
      if (!more || !last) break;
      key = keyOf(last, compiled.byTime);
    }
    await qr.commitTransaction();
  } finally {
    if (qr.isTransactionActive) {
      try {
        await qr.rollbackTransaction();
      } catch {
        // the connection is released below either way
      }
    }
    await qr.release();
  }
}
