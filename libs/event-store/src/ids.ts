import { createHash } from 'node:crypto';

/** Namespace for event ids derived from command ids (a fixed random UUID, never change it). */
export const EVENT_ID_NAMESPACE = '5b1f0c4e-8a39-4c52-9d0e-3f6a2b7c9e14';

/** RFC 9562 UUID v5 (SHA-1, name-based). */
export function uuidV5(name: string, namespace: string = EVENT_ID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  if (ns.length !== 16) throw new TypeError(`Invalid namespace UUID "${namespace}"`);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of the `index`-th event a command produces. Retrying the command (same id / Idempotency-Key)
 * yields the same ids, so the append is recognised as a duplicate.
 */
export function deterministicEventId(commandId: string, index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`Invalid event index ${index}`);
  return uuidV5(`${commandId}#${index}`);
}
