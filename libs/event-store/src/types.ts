import type { QueryRunner } from 'typeorm';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Who, when (the command's clock), why and which request caused an event. */
export interface EventMetadata {
  actorId: string;
  actorRole: string;
  /** ISO-8601 instant from the command's clock (normalised to `toISOString()` on append). */
  occurredAt: string;
  correlationId: string;
  causationId: string;
  reason?: string;
  /**
   * Fingerprint of the request that caused the event (set by writes that carry an idempotency key):
   * a retry with the same key but another body can then be told apart from a true retry.
   */
  requestHash?: string;
}

export interface NewEvent {
  /** Supply one (see `deterministicEventId`) to make the append idempotent. Random if absent. */
  eventId?: string;
  type: string;
  /** Defaults to the latest version the upcaster registry knows for the type, else 1. */
  schemaVersion?: number;
  payload: JsonObject;
  metadata: EventMetadata;
}

export interface StoredEvent {
  eventId: string;
  streamId: string;
  streamType: string;
  streamVersion: number;
  /** Global position (bigint as text). */
  position: string;
  /** Writing transaction id (xid8 as text). */
  txId: string;
  type: string;
  schemaVersion: number;
  payload: JsonObject;
  metadata: EventMetadata;
  recordedAt: Date;
  /** Hex sha256 of the previous event of the stream, null for the first. */
  prevHash: string | null;
  hash: string;
}

export type ExpectedVersion = number | 'any';

/** A position in the commit-ordered log. Both parts are bigints as decimal text. */
export interface Checkpoint {
  txId: string;
  position: string;
}

export const START: Checkpoint = Object.freeze({ txId: '0', position: '0' });

/** Runs in the append's transaction with the events as stored (inline projections). */
export type InlineHandler = (tx: QueryRunner, stored: StoredEvent[]) => Promise<void>;

export interface AppendOptions {
  /** Join this query runner's transaction (one is started and committed here if none is active). */
  queryRunner?: QueryRunner;
  inline?: InlineHandler;
}

export interface AppendResult {
  streamVersion: number;
  events: StoredEvent[];
  /** True when every event id was already stored: nothing was written, the original is returned. */
  duplicate: boolean;
}

export interface Reducer<S> {
  name: string;
  /** Bump when `evolve` or the state's shape changes: snapshots of other versions are ignored. */
  version: number;
  initial: S;
  evolve(state: S, event: StoredEvent): S;
}
