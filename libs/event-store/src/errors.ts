import type { ExpectedVersion } from './types.js';

export class EventStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stream is not at the version the caller expected (HTTP 412 at the edge). */
export class ConcurrencyError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`Stream "${streamId}" is at version ${actual}, expected ${String(expected)}`);
  }
}

/** An event id was stored before with a different stream, type or payload. */
export class IdempotencyConflictError extends EventStoreError {
  constructor(
    readonly eventId: string,
    readonly reason: string,
  ) {
    super(`Event id ${eventId} was already used for a different event: ${reason}`);
  }
}

/** The append request itself is malformed (no events, repeated ids, bad metadata). */
export class InvalidAppendError extends EventStoreError {}

/** The upcaster registry does not take every known version of `eventType` to its latest version. */
export class UpcasterRegistryError extends EventStoreError {
  constructor(
    readonly eventType: string,
    problem: string,
  ) {
    super(`Upcasters for "${eventType}": ${problem}`);
  }
}

/** A stored event has a schema version the registry cannot bring to the latest one. */
export class UnknownSchemaVersionError extends EventStoreError {
  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
  ) {
    super(`No upcaster path for "${eventType}" v${schemaVersion}`);
  }
}

/** Another process holds the subscription (rebuild refused while a runner is active). */
export class SubscriptionBusyError extends EventStoreError {
  constructor(readonly subscription: string) {
    super(`Subscription "${subscription}" is held by an active runner`);
  }
}
