import { createHash } from 'node:crypto';
import {
  canonicalJson,
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

/** The id of the `index`-th event of a keyed write (same key, caller and target: same ids). */
export function keyedEventId(ctx: WriteContext, scope: string, index: number): string | undefined {
  return ctx.idempotencyKey
    ? deterministicEventId(`${ctx.actor.userId}|${scope}|${ctx.idempotencyKey}`, index)
    : undefined;
}

/**
 * Event ids: derived from the Idempotency-Key (scoped by caller and target) so a retry maps onto the
 * same ids and the event store returns the original result; random otherwise. `requestHash` (see
 * `requestFingerprint`) goes into the metadata so a reused key can be told from a retry.
 */
export function newEvents(
  ctx: WriteContext,
  scope: string,
  actorRole: ActorRole,
  events: ReadonlyArray<{ type: string; payload: JsonObject }>,
  requestHash?: string,
): NewEvent[] {
  const metadata: EventMetadata = {
    ...eventMetadata(ctx, actorRole),
    ...(requestHash !== undefined ? { requestHash } : {}),
  };
  return events.map((e, i) => {
    const eventId = keyedEventId(ctx, scope, i);
    return { ...(eventId ? { eventId } : {}), type: e.type, payload: e.payload, metadata };
  });
}

/**
 * What makes two writes with one Idempotency-Key the same request: the request as the command saw
 * it (action, body, reason), hashed over its canonical JSON. Not the clock, the request id or
 * If-Match. None without a key, and none for the system actor: a scheduled job's key names the job,
 * and a rerun recomputes its body from the clock (a cycle's deadlines from the day it actually
 * runs), so the body is no proof of a different request there; its rerun must get the original.
 */
export function requestFingerprint(ctx: WriteContext, request: unknown): string | undefined {
  if (!ctx.idempotencyKey || ctx.actor.roles.includes('system')) return undefined;
  return createHash('sha256')
    .update(canonicalJson(toJson({ request, reason: ctx.reason ?? null })))
    .digest('hex');
}

/** The first role of the actor that is among the allowed ones (the role the event records). */
export function roleFor(actor: ActorRef, allowed: readonly ActorRole[]): ActorRole | undefined {
  return actor.roles.find((r) => allowed.includes(r));
}

export function toJson(value: unknown): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}
