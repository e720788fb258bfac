import {
  Check,
  Column,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
  type ColumnType,
} from 'typeorm';

/**
 * Persistence models of the event store's tables (created by the migration beside this file, never by
 * `synchronize`). The store itself reads and writes with plain SQL; these classes exist so TypeORM's
 * schema diff can prove the migration and the model agree. Nothing outside persistence uses them.
 *
 * `xid8` is not in TypeORM's list of PostgreSQL types: `registerEventStoreColumnTypes` (see
 * `../column-types.ts`) adds it to the driver before metadata is built, so the column is described by
 * its real type and the schema diff compares it exactly.
 */
export const XID8 = 'xid8' as string as ColumnType;

@Entity({ name: 'events' })
@Unique('events_event_id_key', ['eventId'])
@Unique('events_stream_version_key', ['streamId', 'streamVersion'])
@Check('events_stream_version_positive', '"stream_version" > 0')
@Index('events_tx_position_idx', ['txId', 'position'])
@Index('events_stream_type_idx', ['streamType', 'position'])
@Index('events_occurred_at_idx', ['occurredAt', 'position'])
// Expression index ((metadata ->> 'actorId'), position): TypeORM cannot express it, so it is left out
// of the diff here and its definition is asserted by migrations-match-entities.spec.ts.
@Index('events_actor_idx', { synchronize: false })
export class EventRecord {
  @PrimaryGeneratedColumn('increment', {
    name: 'position',
    type: 'bigint',
    primaryKeyConstraintName: 'events_pkey',
  })
  position!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'stream_id', type: 'text' })
  streamId!: string;

  @Column({ name: 'stream_type', type: 'text' })
  streamType!: string;

  @Column({ name: 'stream_version', type: 'integer' })
  streamVersion!: number;

  @Column({ name: 'tx_id', type: XID8, default: () => 'pg_current_xact_id()' })
  txId!: string;

  @Column({ name: 'type', type: 'text' })
  type!: string;

  @Column({ name: 'schema_version', type: 'integer' })
  schemaVersion!: number;

  @Column({ name: 'payload', type: 'jsonb' })
  payload!: unknown;

  @Column({ name: 'metadata', type: 'jsonb' })
  metadata!: unknown;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;

  @Column({ name: 'prev_hash', type: 'bytea', nullable: true })
  prevHash!: Buffer | null;

  @Column({ name: 'hash', type: 'bytea' })
  hash!: Buffer;
}

@Entity({ name: 'snapshots' })
export class SnapshotRecord {
  @PrimaryColumn({ name: 'stream_id', type: 'text', primaryKeyConstraintName: 'snapshots_pkey' })
  streamId!: string;

  @PrimaryColumn({ name: 'reducer_name', type: 'text', primaryKeyConstraintName: 'snapshots_pkey' })
  reducerName!: string;

  @Column({ name: 'reducer_version', type: 'integer' })
  reducerVersion!: number;

  @Column({ name: 'stream_version', type: 'integer' })
  streamVersion!: number;

  @Column({ name: 'state', type: 'jsonb' })
  state!: unknown;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

@Entity({ name: 'subscription_checkpoints' })
export class SubscriptionCheckpointRecord {
  @PrimaryColumn({ name: 'name', type: 'text', primaryKeyConstraintName: 'subscription_checkpoints_pkey' })
  name!: string;

  @Column({ name: 'tx_id', type: XID8, default: () => "'0'" })
  txId!: string;

  @Column({ name: 'position', type: 'bigint', default: 0 })
  position!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

@Entity({ name: 'parked_events' })
@Index('parked_events_pending_idx', ['subscription', 'replayedAt', 'position'])
export class ParkedEventRecord {
  @PrimaryColumn({ name: 'subscription', type: 'text', primaryKeyConstraintName: 'parked_events_pkey' })
  subscription!: string;

  @PrimaryColumn({ name: 'event_id', type: 'uuid', primaryKeyConstraintName: 'parked_events_pkey' })
  eventId!: string;

  @Column({ name: 'position', type: 'bigint' })
  position!: string;

  @Column({ name: 'error', type: 'text' })
  error!: string;

  @Column({ name: 'attempts', type: 'integer' })
  attempts!: number;

  @Column({ name: 'parked_at', type: 'timestamptz', default: () => 'now()' })
  parkedAt!: Date;

  @Column({ name: 'replayed_at', type: 'timestamptz', nullable: true })
  replayedAt!: Date | null;
}
