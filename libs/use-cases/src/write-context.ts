import {
  deterministicEventId,
  type EventMetadata,
  type JsonObject,
  type NewEvent,
} from '@talent/event-store';

export type ActorRole = 'hr' | 'manager' | 'leadership' | 'employee' | 'auditor' | 'system';

export interface ActorRef {
  userId: string;
  roles: ActorRole[];
  team: string | null;
}

/**
 * What a write carries besides its payload: who, when (the command's clock, read once at the
 * edge), which request caused it, the version the caller last saw and its idempotency key.
 */
export interface WriteContext {
  actor: ActorRef;
  now: string;
  requestId: string;
  expectedVersion?: number;
  idempotencyKey?: string;
  reason?: string;
}

/** Metadata stamped on every event of the write, under the role that authorized it. */
export function eventMetadata(ctx: WriteContext, actorRole: ActorRole, causationId?: string): EventMetadata {
  return {
    actorId: ctx.actor.userId,
    actorRole,
    occurredAt: ctx.now,
    correlationId: ctx.requestId,
    causationId: causationId ?? ctx.idempotencyKey ?? ctx.requestId,
    ...(ctx.reason ? { reason: ctx.reason } : {}),
  };
}

/**
 * Event ids: derived from the Idempotency-Key (scoped by caller and target) so a retry maps onto the
 * same ids and the event store returns the original result; random otherwise.
 */
export function newEvents(
  ctx: WriteContext,
  scope: string,
  actorRole: ActorRole,
  events: ReadonlyArray<{ type: string; payload: JsonObject }>,
): NewEvent[] {
  const metadata = eventMetadata(ctx, actorRole);
  return events.map((e, i) => ({
    ...(ctx.idempotencyKey
      ? { eventId: deterministicEventId(`${ctx.actor.userId}|${scope}|${ctx.idempotencyKey}`, i) }
      : {}),
    type: e.type,
    payload: e.payload,
    metadata,
  }));
}

/** The first role of the actor that is among the allowed ones (the role the event records). */
export function roleFor(actor: ActorRef, allowed: readonly ActorRole[]): ActorRole | undefined {
  return actor.roles.find((r) => allowed.includes(r));
}

export function toJson(value: unknown): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}
