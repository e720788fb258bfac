import { canonicalEvent, chainHash, type EventMetadata, type JsonObject } from '@talent/event-store';

export type VerificationProblemKind =
  | 'malformed'
  | 'duplicate'
  | 'hash-mismatch'
  | 'occurred-at-mismatch'
  | 'broken-link'
  | 'bad-genesis'
  | 'gap'
  | 'starts-mid-stream';

export interface VerificationProblem {
  /** 1-based line number in the export. */
  line: number;
  kind: VerificationProblemKind;
  streamId?: string;
  version?: number;
  detail: string;
}

export interface ExportVerification {
  /** No problem found (with `requireComplete`, also: every stream complete from version 1). */
  ok: boolean;
  eventsChecked: number;
  streams: number;
  /** Every stream in the export runs from version 1 without a gap. */
  complete: boolean;
  problems: VerificationProblem[];
  /** Where the export is partial (`gap`, `starts-mid-stream`); problems only with `requireComplete`. */
  incomplete: VerificationProblem[];
}

export interface VerifyExportOptions {
  /** Treat a stream that starts after version 1, or skips versions, as a problem (default false). */
  requireComplete?: boolean;
}

interface Seen {
  line: number;
  version: number;
  prevHash: string | null;
  hash: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Recomputes an NDJSON export's hash chains offline, with the event store's own hash
 * (`chainHash(prev_hash, canonicalEvent(...))`): each row's hash must match its fields and its
 * `prev_hash`, and consecutive versions of a stream must link (`prev_hash` = the previous row's
 * `hash`). Rows may come in any order (exports by time interleave streams). A partial export (a
 * period, an actor) cannot show the versions it left out: those are reported as `gap` /
 * `starts-mid-stream` and fail only with `requireComplete`. Pure: no I/O, no clock.
 */
export function verifyExport(
  lines: Iterable<string> | string,
  options: VerifyExportOptions = {},
): ExportVerification {
  const input = typeof lines === 'string' ? lines.split('\n') : lines;
  const problems: VerificationProblem[] = [];
  const streams = new Map<string, Map<number, Seen>>();
  let lineNo = 0;
  let checked = 0;
  for (const raw of input) {
    lineNo++;
    const text = raw.trim();
    if (text === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch {
      problems.push({ line: lineNo, kind: 'malformed', detail: 'not JSON' });
      continue;
    }
    if (!isObject(row)) {
      problems.push({ line: lineNo, kind: 'malformed', detail: 'not a JSON object' });
      continue;
    }
    const r = row;
    const streamId = r.stream_id;
    const version = r.version;
    const prevHash = r.prev_hash;
    const hash = r.hash;
    if (
      typeof streamId !== 'string' ||
      typeof r.stream_type !== 'string' ||
      typeof r.event_id !== 'string' ||
      typeof r.type !== 'string' ||
      typeof version !== 'number' ||
      !Number.isInteger(version) ||
      version < 1 ||
      typeof r.schema_version !== 'number' ||
      !isObject(r.payload) ||
      !isObject(r.metadata) ||
      typeof r.occurred_at !== 'string' ||
      typeof hash !== 'string' ||
      !HEX64.test(hash) ||
      !(prevHash === null || (typeof prevHash === 'string' && HEX64.test(prevHash)))
    ) {
      problems.push({ line: lineNo, kind: 'malformed', detail: 'missing or malformed fields' });
      continue;
    }
    checked++;
    const metadata = r.metadata as unknown as EventMetadata;
    const at = { line: lineNo, streamId, version };
    if (metadata.occurredAt !== r.occurred_at) {
      problems.push({
        ...at,
        kind: 'occurred-at-mismatch',
        detail: 'occurred_at differs from metadata.occurredAt',
      });
    }
    const expected = chainHash(
      prevHash === null ? null : Buffer.from(prevHash, 'hex'),
      canonicalEvent({
        eventId: r.event_id,
        streamId,
        streamType: r.stream_type,
        streamVersion: version,
        type: r.type,
        schemaVersion: r.schema_version,
        payload: r.payload as JsonObject,
        metadata,
        occurredAt: metadata.occurredAt,
      }),
    ).toString('hex');
    if (expected !== hash) {
      problems.push({
        ...at,
        kind: 'hash-mismatch',
        detail: `hash ${hash} does not match the event (expected ${expected})`,
      });
    }
    if (version === 1 && prevHash !== null) {
      problems.push({ ...at, kind: 'bad-genesis', detail: 'the first event of a stream has a prev_hash' });
    }
    if (version > 1 && prevHash === null) {
      problems.push({ ...at, kind: 'broken-link', detail: 'a later event of a stream has no prev_hash' });
    }
    let versions = streams.get(streamId);
    if (!versions) streams.set(streamId, (versions = new Map<number, Seen>()));
    if (versions.has(version)) {
      problems.push({ ...at, kind: 'duplicate', detail: `version ${version} appears twice` });
      continue;
    }
    versions.set(version, { line: lineNo, version, prevHash, hash });
  }

  let complete = true;
  const strict = options.requireComplete === true;
  const partial: VerificationProblem[] = [];
  for (const [streamId, versions] of streams) {
    const ordered = [...versions.values()].sort((a, b) => a.version - b.version);
    const first = ordered[0];
    if (first && first.version !== 1) {
      complete = false;
      partial.push({
        line: first.line,
        kind: 'starts-mid-stream',
        streamId,
        version: first.version,
        detail: `the export starts this stream at version ${first.version}`,
      });
    }
    for (let i = 1; i < ordered.length; i++) {
      const prev = ordered[i - 1];
      const cur = ordered[i];
      if (cur.version !== prev.version + 1) {
        complete = false;
        partial.push({
          line: cur.line,
          kind: 'gap',
          streamId,
          version: cur.version,
          detail: `versions ${prev.version + 1}..${cur.version - 1} are not in the export`,
        });
      } else if (cur.prevHash !== prev.hash) {
        problems.push({
          line: cur.line,
          kind: 'broken-link',
          streamId,
          version: cur.version,
          detail: `prev_hash does not equal the hash of version ${prev.version}`,
        });
      }
    }
  }
  if (strict) problems.push(...partial);
  problems.sort((a, b) => a.line - b.line);
  return {
    ok: problems.length === 0,
    eventsChecked: checked,
    streams: streams.size,
    complete,
    problems,
    incomplete: partial,
  };
}
