import { createHash } from 'node:crypto';

/** Namespace of the notification lib's name-based ids (a fixed random UUID: never change it). */
export const NOTIFICATION_ID_NAMESPACE = 'c3e1a0d2-6f4b-4a8e-9b57-2d1f0e8c7a63';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** RFC 9562 UUID v5 (SHA-1, name-based). */
export function uuidV5(name: string, namespace: string = NOTIFICATION_ID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  if (ns.length !== 16) throw new TypeError(`Invalid namespace UUID "${namespace}"`);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of the notification of `eventId` for one recipient on one channel (same key -> same id). */
export function notificationId(eventId: string, recipientId: string, channel: string): string {
  return uuidV5(`notification|${eventId.toLowerCase()}|${channel}|${recipientId}`);
}

/** The id of the delivery of a notification to one target (e-mail address or URL). */
export function deliveryId(notificationIdValue: string, target: string): string {
  return uuidV5(`delivery|${notificationIdValue.toLowerCase()}|${target}`);
}
