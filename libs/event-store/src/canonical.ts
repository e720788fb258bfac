import { createHash } from 'node:crypto';
import type { EventMetadata, JsonObject, JsonValue } from './types.js';

/**
 * JSON with object keys sorted (code-point order) at every depth and no whitespace. jsonb reorders
 * keys, so hashes are computed over this form, never over the text as written or read.
 * Keys whose value is undefined are dropped (as JSON.stringify and jsonb do).
 */
export function canonicalJson(value: JsonValue | undefined): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`Cannot serialise non-finite number ${value}`);
    }
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

export interface HashedFields {
  eventId: string;
  streamId: string;
  streamType: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  payload: JsonObject;
  metadata: EventMetadata;
  occurredAt: string;
}

/** The text each event's hash covers (after the previous hash's bytes). */
export function canonicalEvent(e: HashedFields): string {
  return canonicalEventFrom(e, canonicalJson(e.payload), canonicalJson(e.metadata as unknown as JsonObject));
}

/**
 * `canonicalEvent` from already-canonical payload and metadata texts (the append path has them):
 * the same text as `canonicalJson` of the whole object, keys in sorted order.
 */
export function canonicalEventFrom(
  e: Omit<HashedFields, 'payload' | 'metadata'>,
  payloadJson: string,
  metadataJson: string,
): string {
  return (
    `{"eventId":${JSON.stringify(e.eventId)},"metadata":${metadataJson},"occurredAt":${JSON.stringify(e.occurredAt)}` +
    `,"payload":${payloadJson},"schemaVersion":${canonicalJson(e.schemaVersion)},"streamId":${JSON.stringify(e.streamId)}` +
    `,"streamType":${JSON.stringify(e.streamType)},"streamVersion":${canonicalJson(e.streamVersion)}` +
    `,"type":${JSON.stringify(e.type)}}`
  );
}

/** hash = sha256(prevHash bytes (none for a stream's first event) || utf8(canonicalEvent)). */
export function chainHash(prevHash: Buffer | null, canonical: string): Buffer {
  const h = createHash('sha256');
  if (prevHash) h.update(prevHash);
  h.update(canonical, 'utf8');
  return h.digest();
}
