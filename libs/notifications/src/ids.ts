import { uuidV5 as storeUuidV5 } from '@talent/event-store';

/** Namespace of the notification lib's name-based ids (a fixed random UUID: never change it). */
export const NOTIFICATION_ID_NAMESPACE = 'c3e1a0d2-6f4b-4a8e-9b57-2d1f0e8c7a63';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** Name-based ids in this lib's namespace (the event store's RFC 9562 UUID v5). */
export function uuidV5(name: string, namespace: string = NOTIFICATION_ID_NAMESPACE): string {
  return storeUuidV5(name, namespace);
}

/** The id of the notification of `eventId` for one recipient on one channel (same key -> same id). */
export function notificationId(eventId: string, recipientId: string, channel: string): string {
  return uuidV5(`notification|${eventId.toLowerCase()}|${channel}|${recipientId}`);
}

/** The id of the delivery of a notification to one target (e-mail address or URL). */
export function deliveryId(notificationIdValue: string, target: string): string {
  return uuidV5(`delivery|${notificationIdValue.toLowerCase()}|${target}`);
}
