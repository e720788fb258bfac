import type { NewEvent as StoreEvent, StoredEvent } from '@talent/event-store';
import { CASE_TYPES, type CaseType, type DomainEvent } from '@talent/workflows';
import { toJson, type WriteContext } from '../write-context.js';

export function isCaseType(value: string): value is CaseType {
  return (CASE_TYPES as readonly string[]).includes(value);
}

/** A stored case event as the pure aggregates fold it. */
export function toDomainEvent(e: StoredEvent): DomainEvent {
  if (!isCaseType(e.streamType)) throw new Error(`stream ${e.streamId} is a ${e.streamType}, not a case`);
  const meta: DomainEvent['meta'] = {
    actorId: e.metadata.actorId,
    actorRole: e.metadata.actorRole as DomainEvent['meta']['actorRole'],
    occurredAt: e.metadata.occurredAt,
  };
  if (e.metadata.reason !== undefined) meta.reason = e.metadata.reason;
  meta.requestId = e.metadata.correlationId;
  return {
    type: e.type,
    schemaVersion: 1,
    caseType: e.streamType,
    caseId: e.streamId,
    payload: e.payload,
    meta,
  };
}

/**
 * Decided domain events as event-store appends (ids derived from the idempotency key, if any, and
 * the request's fingerprint kept beside them so a reused key can be recognised).
 */
export function toStoreEvents(
  events: readonly DomainEvent[],
  ctx: WriteContext,
  eventIds?: readonly string[],
  requestHash?: string,
): StoreEvent[] {
  return events.map((e, i) => ({
    ...(eventIds?.[i] ? { eventId: eventIds[i] } : {}),
    type: e.type,
    schemaVersion: e.schemaVersion,
    payload: toJson(e.payload),
    metadata: {
      actorId: e.meta.actorId,
      actorRole: e.meta.actorRole,
      occurredAt: e.meta.occurredAt,
      correlationId: ctx.requestId,
      causationId: ctx.idempotencyKey ?? ctx.requestId,
      ...(e.meta.reason !== undefined ? { reason: e.meta.reason } : {}),
      ...(requestHash !== undefined ? { requestHash } : {}),
    },
  }));
}
