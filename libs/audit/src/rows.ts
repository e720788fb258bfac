import type { JsonObject, JsonValue } from '@talent/event-store';
import type { CursorKey } from './cursor.js';

export type { JsonObject, JsonValue };

/** One event as the audit trail shows it: what, who, when, why, and the proof (hash chain). */
export interface AuditEvent {
  /** Global log position (bigint as decimal text). */
  position: string;
  eventId: string;
  streamId: string;
  streamType: string;
  /** The event's version within its stream (1, 2, ...). */
  version: number;
  type: string;
  schemaVersion: number;
  actorId: string;
  actorRole: string;
  reason: string | null;
  correlationId: string | null;
  causationId: string | null;
  /** ISO-8601 instant (the command's clock). */
  occurredAt: string;
  /** ISO-8601 instant the store wrote it. */
  recordedAt: string;
  /** What changed, as stored (never upcast: exports must hash exactly what was written). */
  payload: JsonObject;
  metadata: JsonObject;
  /** Hex sha256 of the stream's previous event, null for its first. */
  prevHash: string | null;
  hash: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `after` to read the next page; null when this page is the last. */
  nextCursor: string | null;
}

/** The columns every audit query selects from `events e`. */
export const EVENT_COLUMNS = `
  e.position::text AS position,
  e.event_id::text AS event_id,
  e.stream_id,
  e.stream_type,
  e.stream_version,
  e.type,
  e.schema_version,
  e.payload,
  e.metadata,
  e.occurred_at,
  to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at_key,
  e.recorded_at,
  encode(e.prev_hash, 'hex') AS prev_hash,
  encode(e.hash, 'hex') AS hash`;

export interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  stream_type: string;
  stream_version: number;
  type: string;
  schema_version: number;
  payload: JsonObject;
  metadata: JsonObject;
  occurred_at: Date;
  occurred_at_key: string;
  recorded_at: Date;
  prev_hash: string | null;
  hash: string;
}

function text(v: JsonValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

export function toAuditEvent(r: EventRow): AuditEvent {
  const m = r.metadata ?? {};
  return {
    position: r.position,
    eventId: r.event_id,
    streamId: r.stream_id,
    streamType: r.stream_type,
    version: r.stream_version,
    type: r.type,
    schemaVersion: r.schema_version,
    actorId: text(m.actorId) ?? '',
    actorRole: text(m.actorRole) ?? '',
    reason: text(m.reason),
    correlationId: text(m.correlationId),
    causationId: text(m.causationId),
    occurredAt: r.occurred_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    payload: r.payload,
    metadata: m,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export function keyOf(r: EventRow, withTime: boolean): CursorKey {
  return withTime ? { position: r.position, occurredAt: r.occurred_at_key } : { position: r.position };
}

export type CursorKeyed = CursorKey | null;
