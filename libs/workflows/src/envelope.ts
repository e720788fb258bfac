import type { CaseType, DomainEvent, EventMeta, Role } from './common/types.js';
import { ROLES } from './common/types.js';
import { AGGREGATES, type CaseStateByType } from './registry.js';

/**
 * Structural mirror of the event store's NewEvent / StoredEvent (this pure lib does not import the
 * store): the handler maps decided events with `toStoreEvent` and folds loaded ones with `fromStoredEvent`.
 */
export interface StoreEventShape {
  type: string;
  schemaVersion: number;
  payload: Record<string, unknown>;
  metadata: {
    actorId: string;
    actorRole: string;
    occurredAt: string;
    correlationId: string;
    causationId: string;
    reason?: string;
  };
}

export interface StoredEventLike extends StoreEventShape {
  streamId: string;
}

/** `correlationId` defaults to the event's requestId; `causationId` is the command's id. */
export function toStoreEvent(
  e: DomainEvent,
  ids: { causationId: string; correlationId?: string },
): StoreEventShape {
  const metadata: StoreEventShape['metadata'] = {
    actorId: e.meta.actorId,
    actorRole: e.meta.actorRole,
    occurredAt: e.meta.occurredAt,
    correlationId: ids.correlationId ?? e.meta.requestId ?? ids.causationId,
    causationId: ids.causationId,
  };
  if (e.meta.reason !== undefined) metadata.reason = e.meta.reason;
  return {
    type: e.type,
    schemaVersion: e.schemaVersion,
    payload: e.payload as Record<string, unknown>,
    metadata,
  };
}

function asRole(r: string): Role {
  return (ROLES as readonly string[]).includes(r) ? (r as Role) : 'system';
}

/** A stored event as the aggregates fold it (the stream id is the case id). */
export function fromStoredEvent(caseType: CaseType, stored: StoredEventLike): DomainEvent {
  if (stored.schemaVersion !== 1) {
    throw new Error(
      `${caseType} ${stored.type} has schemaVersion ${stored.schemaVersion}; upcast it to 1 first`,
    );
  }
  const meta: EventMeta = {
    actorId: stored.metadata.actorId,
    actorRole: asRole(stored.metadata.actorRole),
    occurredAt: stored.metadata.occurredAt,
    requestId: stored.metadata.correlationId,
  };
  if (stored.metadata.reason !== undefined) meta.reason = stored.metadata.reason;
  return {
    type: stored.type,
    schemaVersion: 1,
    caseType,
    caseId: stored.streamId,
    payload: stored.payload,
    meta,
  };
}

/** A reducer in the event store's shape (name, version, initial, evolve) for snapshots and replays. */
export function caseReducer<K extends CaseType>(
  caseType: K,
): {
  name: string;
  version: number;
  initial: CaseStateByType[K] | undefined;
  evolve(state: CaseStateByType[K] | undefined, event: StoredEventLike): CaseStateByType[K];
} {
  const aggregate = AGGREGATES[caseType];
  return {
    name: `workflows.${caseType}`,
    // bump when evolve or the state's shape changes, so old snapshots are ignored
    version: 1,
    initial: undefined,
    evolve: (state, event) => aggregate.evolve(state, fromStoredEvent(caseType, event)),
  };
}
