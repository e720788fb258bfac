// Public surface of the event store. No Nest here: a thin Nest module elsewhere wraps it.
import { EventStoreSchema1764000000000 } from './persistence/migrations/1764000000000-event-store-schema.js';
import {
  EventRecord,
  ParkedEventRecord,
  SnapshotRecord,
  SubscriptionCheckpointRecord,
} from './persistence/entities.js';

/** Migrations creating the event store's tables, in order (consumed by `@talent/database`). */
export const eventStoreMigrations: Array<new () => unknown> = [EventStoreSchema1764000000000];
/** Persistence models of those tables (consumed by `@talent/database`; the schema diff check uses them). */
export const eventStoreEntities: Array<new () => unknown> = [
  EventRecord,
  SnapshotRecord,
  SubscriptionCheckpointRecord,
  ParkedEventRecord,
];

export { registerEventStoreColumnTypes } from './column-types.js';
export { canonicalJson, canonicalEvent, canonicalEventFrom, chainHash } from './canonical.js';
export { deterministicEventId, uuidV5, EVENT_ID_NAMESPACE } from './ids.js';
export {
  EventStoreError,
  ConcurrencyError,
  IdempotencyConflictError,
  InvalidAppendError,
  UpcasterRegistryError,
  UnknownSchemaVersionError,
  SubscriptionBusyError,
} from './errors.js';
export { UpcasterRegistry, type Upcaster } from './upcasters.js';
export { WriteCoalescer, type CoalescingOptions } from './coalescer.js';
export {
  EventStore,
  type EventStoreOptions,
  type ReadOptions,
  type ReadAllOptions,
  type ReadAllResult,
  type LoadAggregateOptions,
  type LoadedAggregate,
  type VerifyChainsOptions,
  type VerifyChainsResult,
  type ChainBreak,
} from './event-store.js';
export {
  SubscriptionRunner,
  subscriptionLag,
  replayParked,
  type SubscriptionHandler,
  type SubscriptionRunnerOptions,
  type ReplayResult,
} from './subscription-runner.js';
export {
  inlineProjections,
  projectionRunner,
  projectionSubscriptionName,
  rebuildProjection,
  type Projection,
  type RebuildOptions,
  type RebuildResult,
} from './projections.js';
export {
  START,
  type AppendOptions,
  type AppendResult,
  type Checkpoint,
  type EventMetadata,
  type ExpectedVersion,
  type InlineHandler,
  type JsonObject,
  type JsonPrimitive,
  type JsonValue,
  type NewEvent,
  type Reducer,
  type StoredEvent,
} from './types.js';
