import { randomUUID } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import { canonicalEvent, canonicalEventFrom, chainHash } from './canonical.js';
import { ConcurrencyError, IdempotencyConflictError, InvalidAppendError } from './errors.js';
import { canonicalJson } from './canonical.js';
import { WriteCoalescer, type CoalescingOptions } from './coalescer.js';
import { inTransaction, preparedQuery, query, runQuery, sqlState, uniqueViolation, type Row } from './sql.js';
import { UpcasterRegistry } from './upcasters.js';
import {
  START,
  type AppendOptions,
  type AppendResult,
  type Checkpoint,
  type EventMetadata,
  type ExpectedVersion,
  type JsonObject,
  type JsonValue,
  type NewEvent,
  type Reducer,
  type StoredEvent,
} from './types.js';

export interface EventStoreOptions {
  upcasters?: UpcasterRegistry;
  /** Attempts for `expectedVersion: 'any'` when another writer keeps winning the race. Default 10. */
  anyVersionRetries?: number;
  /**
   * Group commit for concurrent single-event appends made outside a transaction and without inline
   * projections (see `WriteCoalescer`); `false` gives every append its own statement. On by default.
   */
  coalescing?: CoalescingOptions | false;
}

export interface ReadOptions {
  /** Read through this query runner (e.g. inside a transaction). */
  queryRunner?: QueryRunner;
}

export interface ReadAllOptions extends ReadOptions {
  /**
   * Default true: stop below the oldest running transaction (gap-free for subscribers). False reads
   * every committed event visible to the statement (used when rebuilding inline projections, whose
   * rows for such events were just reset).
   */
  watermark?: boolean;
}

export interface ReadAllResult {
  events: StoredEvent[];
  /** Where the next call should continue from (`after` itself when nothing was read). */
  checkpoint: Checkpoint;
}

export interface LoadAggregateOptions extends ReadOptions {
  /** Save a snapshot when at least this many events were folded past the last one. Off if absent. */
  snapshotEvery?: number;
}

export interface LoadedAggregate<S> {
  state: S;
  /** Stream version the state reflects (0 for a stream with no events). */
  version: number;
  /** Version of the snapshot it started from (0 when none was usable). */
  snapshotVersion: number;
  eventsFolded: number;
}

export interface VerifyChainsOptions {
  batchSize?: number;
  /** Only this stream. */
  streamId?: string;
}

export interface ChainBreak {
  streamId: string;
  version: number;
  reason: string;
}

export interface VerifyChainsResult {
  ok: boolean;
  eventsChecked: number;
  firstBroken?: ChainBreak;
}

interface PreparedEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  payload: JsonObject;
  payloadJson: string;
  metadata: EventMetadata;
  metadataJson: string;
  occurredAt: string;
}

/**
 * Selected columns. `position` and `tx_id` come back as text (bigint/xid8 as strings), under their own
 * names: an ORDER BY on a bare name would then sort by the TEXT output column (PostgreSQL resolves
 * ORDER BY names to output columns first), so every ORDER BY here qualifies them as "events"."...".
 */
const EVENT_COLUMNS = `"position"::text AS "position", "event_id", "stream_id", "stream_type", "stream_version",
  "tx_id"::text AS "tx_id", "type", "schema_version", "payload", "metadata", "occurred_at", "recorded_at",
  "prev_hash", "hash"`;

/**
 * One statement appends a batch: it reads the stream's head, inserts nothing unless the head is at
 * the expected version, and chains each event's hash to the previous one (sha256 of the previous
 * hash's bytes followed by the event's canonical text, computed beside the insert so it needs no
 * extra round trip). Positions are drawn after the ordered subquery so a batch's positions follow its
 * versions (a default evaluated in the SELECT list may be computed before the sort). Two writers that both saw the same head collide on the unique
 * (stream_id, stream_version) key: the loser waits for the winner's commit and gets a unique violation.
 */
const APPEND_SQL = `
WITH RECURSIVE
head AS (
  SELECT "stream_version" AS "version", "hash" FROM "events"
  WHERE "stream_id" = $1 ORDER BY "stream_version" DESC LIMIT 1
),
ok AS (
  SELECT (SELECT "hash" FROM head) AS "hash" WHERE COALESCE((SELECT "version" FROM head), 0) = $3
),
input AS (
  SELECT * FROM unnest($4::uuid[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[], $9::timestamptz[], $10::text[])
    WITH ORDINALITY AS t("event_id", "type", "schema_version", "payload", "metadata", "occurred_at", "canonical", "n")
),
chain AS (
  SELECT i."n", ok."hash" AS "prev_hash",
         sha256(COALESCE(ok."hash", '\\x'::bytea) || convert_to(i."canonical", 'UTF8')) AS "hash"
  FROM ok CROSS JOIN input i WHERE i."n" = 1
  UNION ALL
  SELECT i."n", c."hash", sha256(c."hash" || convert_to(i."canonical", 'UTF8'))
  FROM chain c JOIN input i ON i."n" = c."n" + 1
)
INSERT INTO "events" ("position", "event_id", "stream_id", "stream_type", "stream_version", "type",
  "schema_version", "payload", "metadata", "occurred_at", "prev_hash", "hash")
SELECT nextval('events_position_seq'), s.* FROM (
  SELECT i."event_id", $1, $2, $3 + i."n"::int, i."type", i."schema_version", i."payload", i."metadata",
    i."occurred_at", c."prev_hash", c."hash"
  FROM input i JOIN chain c ON c."n" = i."n"
  ORDER BY i."n"
) s
RETURNING "position"::text AS "position", "tx_id"::text AS "tx_id", "stream_version", "recorded_at",
  "prev_hash", "hash"`;

/** APPEND_SQL for the common single-event append: same checks and hash, no unnest or recursion. */
const APPEND_ONE_SQL = `
INSERT INTO "events" ("event_id", "stream_id", "stream_type", "stream_version", "type", "schema_version",
  "payload", "metadata", "occurred_at", "prev_hash", "hash")
SELECT $4::uuid, $1, $2, $3 + 1, $5, $6, $7::jsonb, $8::jsonb, $9::timestamptz, h."hash",
  sha256(COALESCE(h."hash", '\\x'::bytea) || convert_to($10, 'UTF8'))
FROM (SELECT 1) AS d
LEFT JOIN LATERAL (
  SELECT "stream_version", "hash" FROM "events" WHERE "stream_id" = $1 ORDER BY "stream_version" DESC LIMIT 1
) AS h ON true
WHERE COALESCE(h."stream_version", 0) = $3
RETURNING "position"::text AS "position", "tx_id"::text AS "tx_id", "stream_version", "recorded_at",
  "prev_hash", "hash"`;

/**
 * APPEND_ONE_SQL for several single-event appends to DIFFERENT streams in one statement (the
 * coalescer never puts one stream twice in a batch). A member whose head is not at its expected
 * version is left out of the insert and of RETURNING; the others are written. Rows come back keyed
 * by stream id.
 */
const APPEND_MANY_SQL = `
INSERT INTO "events" ("event_id", "stream_id", "stream_type", "stream_version", "type", "schema_version",
  "payload", "metadata", "occurred_at", "prev_hash", "hash")
SELECT i."event_id", i."stream_id", i."stream_type", i."expected" + 1, i."type", i."schema_version",
  i."payload", i."metadata", i."occurred_at", h."hash",
  sha256(COALESCE(h."hash", '\\x'::bytea) || convert_to(i."canonical", 'UTF8'))
FROM unnest($1::text[], $2::text[], $3::int[], $4::uuid[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[],
    $9::timestamptz[], $10::text[])
  AS i("stream_id", "stream_type", "expected", "event_id", "type", "schema_version", "payload", "metadata",
    "occurred_at", "canonical")
LEFT JOIN LATERAL (
  SELECT e."stream_version", e."hash" FROM "events" e WHERE e."stream_id" = i."stream_id"
  ORDER BY e."stream_version" DESC LIMIT 1
) AS h ON true
WHERE COALESCE(h."stream_version", 0) = i."expected"
RETURNING "stream_id", "position"::text AS "position", "tx_id"::text AS "tx_id", "stream_version",
  "recorded_at", "prev_hash", "hash"`;

/** The parameters of APPEND_ONE_SQL, in order. */
type AppendOneParams = readonly [
  streamId: string,
  streamType: string,
  expected: number,
  eventId: string,
  type: string,
  schemaVersion: number,
  payloadJson: string,
  metadataJson: string,
  occurredAt: string,
  canonical: string,
];

class HeadMismatch extends Error {}

function hex(b: unknown): string | null {
  return Buffer.isBuffer(b) ? b.toString('hex') : null;
}

function normaliseMetadata(m: EventMetadata): EventMetadata {
  for (const key of ['actorId', 'actorRole', 'correlationId', 'causationId'] as const) {
    if (typeof m?.[key] !== 'string' || m[key].length === 0) {
      throw new InvalidAppendError(`metadata.${key} must be a non-empty string`);
    }
  }
  const at = new Date(m.occurredAt);
  if (typeof m.occurredAt !== 'string' || Number.isNaN(at.getTime())) {
    throw new InvalidAppendError(
      `metadata.occurredAt must be an ISO-8601 instant (got ${String(m.occurredAt)})`,
    );
  }
  const out: EventMetadata = {
    actorId: m.actorId,
    actorRole: m.actorRole,
    occurredAt: at.toISOString(),
    correlationId: m.correlationId,
    causationId: m.causationId,
  };
  if (m.reason !== undefined) out.reason = m.reason;
  if (m.requestHash !== undefined) {
    if (typeof m.requestHash !== 'string' || m.requestHash.length === 0) {
      throw new InvalidAppendError('metadata.requestHash must be a non-empty string when given');
    }
    out.requestHash = m.requestHash;
  }
  return out;
}

/**
 * The event store: appends with optimistic concurrency and idempotency, reads streams and the
 * commit-ordered log, folds aggregates from snapshots, verifies hash chains. Plain SQL through
 * TypeORM's DataSource/QueryRunner so a caller's transaction can be joined.
 */
export class EventStore {
  readonly upcasters: UpcasterRegistry;
  private readonly anyVersionRetries: number;
  private readonly appendOne: (params: AppendOneParams) => Promise<Row | null>;

  constructor(
    readonly dataSource: DataSource,
    options: EventStoreOptions = {},
  ) {
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.anyVersionRetries = options.anyVersionRetries ?? 10;
    const one = async (p: AppendOneParams): Promise<Row | null> =>
      (await preparedQuery(dataSource, 'event_store_append_one_v1', APPEND_ONE_SQL, [...p]))[0] ?? null;
    if (options.coalescing === false) {
      this.appendOne = one;
    } else {
      const coalescer = new WriteCoalescer<AppendOneParams, Row | null>(
        options.coalescing ?? {},
        one,
        (batch) => this.appendMany(batch),
        (e) => uniqueViolation(e) !== undefined || ['40P01', '40001'].includes(sqlState(e) ?? ''),
      );
      this.appendOne = (p) => coalescer.submit(p[0], p);
    }
  }

  /** One statement for single-event appends to distinct streams; null where the head had moved. */
  private async appendMany(batch: AppendOneParams[]): Promise<Array<Row | null>> {
    // one array per parameter of APPEND_ONE_SQL, for unnest
    const columns = Array.from({ length: 10 }, (_, k) => batch.map((p) => p[k]));
    const rows = await preparedQuery(this.dataSource, 'event_store_append_many_v1', APPEND_MANY_SQL, columns);
    const byStream = new Map(rows.map((r) => [String(r.stream_id), r]));
    return batch.map((p) => byStream.get(p[0]) ?? null);
  }

  // ---------------------------------------------------------------- append

  async append(
    streamId: string,
    streamType: string,
    expectedVersion: ExpectedVersion,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (typeof streamId !== 'string' || streamId.length === 0)
      throw new InvalidAppendError('streamId is empty');
    if (typeof streamType !== 'string' || streamType.length === 0)
      throw new InvalidAppendError('streamType is empty');
    if (expectedVersion !== 'any' && (!Number.isInteger(expectedVersion) || expectedVersion < 0)) {
      throw new InvalidAppendError(
        `expectedVersion must be 'any' or an integer >= 0 (got ${String(expectedVersion)})`,
      );
    }
    if (events.length === 0) throw new InvalidAppendError('no events to append');
    const prepared = events.map((e) => this.prepare(e));
    const ids = new Set(prepared.map((p) => p.eventId));
    if (ids.size !== prepared.length)
      throw new InvalidAppendError('the same event id appears twice in one append');

    const joined = options.queryRunner;
    for (let attempt = 0; ; attempt++) {
      const expected =
        expectedVersion === 'any'
          ? await this.streamVersion(streamId, { queryRunner: joined })
          : expectedVersion;
      try {
        const stored = await this.writeScope(joined, !!options.inline, async (qr) => {
          const written = await this.insert(qr, streamId, streamType, expected, prepared);
          if (options.inline) {
            if (!qr) throw new Error('unreachable: inline needs a transaction');
            await options.inline(qr, written);
          }
          return written;
        });
        return { streamVersion: expected + prepared.length, events: stored, duplicate: false };
      } catch (e) {
        const constraint = uniqueViolation(e);
        const isOurs =
          e instanceof HeadMismatch ||
          constraint === 'events_stream_version_key' ||
          constraint === 'events_event_id_key';
        if (!isOurs) throw e;
        const duplicate = await this.findDuplicate(streamId, streamType, prepared, joined);
        if (duplicate) return duplicate;
        const actual = await this.streamVersion(streamId, { queryRunner: joined });
        if (expectedVersion === 'any' && attempt + 1 < this.anyVersionRetries) continue;
        throw new ConcurrencyError(streamId, expectedVersion, actual);
      }
    }
  }

  private prepare(e: NewEvent): PreparedEvent {
    if (typeof e.type !== 'string' || e.type.length === 0)
      throw new InvalidAppendError('event type is empty');
    if (typeof e.payload !== 'object' || e.payload === null || Array.isArray(e.payload)) {
      throw new InvalidAppendError(`payload of ${e.type} must be a JSON object`);
    }
    const schemaVersion = e.schemaVersion ?? this.upcasters.latestVersion(e.type);
    if (!Number.isInteger(schemaVersion) || schemaVersion < 1) {
      throw new InvalidAppendError(`schemaVersion of ${e.type} must be an integer >= 1`);
    }
    if (!this.upcasters.canUpcast(e.type, schemaVersion)) {
      throw new InvalidAppendError(
        `${e.type} v${schemaVersion} cannot be read back: the latest is v${this.upcasters.latestVersion(e.type)}`,
      );
    }
    const metadata = normaliseMetadata(e.metadata);
    return {
      eventId: (e.eventId ?? randomUUID()).toLowerCase(),
      type: e.type,
      schemaVersion,
      payload: e.payload,
      payloadJson: canonicalJson(e.payload),
      metadata,
      metadataJson: canonicalJson(metadata as unknown as JsonObject),
      occurredAt: metadata.occurredAt,
    };
  }

  /**
   * Runs the write where it belongs: a savepoint inside a joined transaction (so a conflict leaves
   * the caller's transaction usable), an own transaction when there is inline work or a runner without
   * one, or a single autocommit statement otherwise (the fast path).
   */
  private async writeScope<T>(
    joined: QueryRunner | undefined,
    needsTx: boolean,
    fn: (qr: QueryRunner | undefined) => Promise<T>,
  ): Promise<T> {
    if (joined) {
      if (!joined.isTransactionActive) {
        await joined.startTransaction();
        try {
          const r = await fn(joined);
          await joined.commitTransaction();
          return r;
        } catch (e) {
          if (joined.isTransactionActive) await joined.rollbackTransaction();
          throw e;
        }
      }
      await runQuery(joined, 'SAVEPOINT event_store_append');
      try {
        const r = await fn(joined);
        await runQuery(joined, 'RELEASE SAVEPOINT event_store_append');
        return r;
      } catch (e) {
        await runQuery(joined, 'ROLLBACK TO SAVEPOINT event_store_append');
        await runQuery(joined, 'RELEASE SAVEPOINT event_store_append');
        throw e;
      }
    }
    if (needsTx) return inTransaction(this.dataSource, (qr) => fn(qr));
    return fn(undefined);
  }

  private async insert(
    qr: QueryRunner | undefined,
    streamId: string,
    streamType: string,
    expected: number,
    prepared: PreparedEvent[],
  ): Promise<StoredEvent[]> {
    const canon = prepared.map((p, i) =>
      canonicalEventFrom(
        {
          eventId: p.eventId,
          streamId,
          streamType,
          streamVersion: expected + i + 1,
          type: p.type,
          schemaVersion: p.schemaVersion,
          occurredAt: p.occurredAt,
        },
        p.payloadJson,
        p.metadataJson,
      ),
    );
    const one = prepared.length === 1 ? prepared[0] : undefined;
    const [name, sql, params] = one
      ? ([
          'event_store_append_one_v1',
          APPEND_ONE_SQL,
          [
            streamId,
            streamType,
            expected,
            one.eventId,
            one.type,
            one.schemaVersion,
            one.payloadJson,
            one.metadataJson,
            one.occurredAt,
            canon[0],
          ],
        ] as const)
      : ([
          'event_store_append_v1',
          APPEND_SQL,
          [
            streamId,
            streamType,
            expected,
            prepared.map((p) => p.eventId),
            prepared.map((p) => p.type),
            prepared.map((p) => p.schemaVersion),
            prepared.map((p) => p.payloadJson),
            prepared.map((p) => p.metadataJson),
            prepared.map((p) => p.occurredAt),
            canon,
          ],
        ] as const);
    let rows: Row[];
    if (qr) rows = await runQuery(qr, sql, [...params]);
    else if (one) {
      const row = await this.appendOne(params as AppendOneParams);
      rows = row ? [row] : [];
    } else rows = await preparedQuery(this.dataSource, name, sql, [...params]);
    if (rows.length === 0) throw new HeadMismatch();
    if (rows.length !== prepared.length)
      throw new Error(`append wrote ${rows.length} of ${prepared.length} events`);
    rows.sort((a, b) => Number(a.stream_version) - Number(b.stream_version));
    return rows.map((r, i) => {
      const p = prepared[i];
      const up = this.upcasters.upcast(p.type, p.schemaVersion, p.payload, p.metadata);
      return {
        eventId: p.eventId,
        streamId,
        streamType,
        streamVersion: Number(r.stream_version),
        position: String(r.position),
        txId: String(r.tx_id),
        type: p.type,
        schemaVersion: up.schemaVersion,
        payload: up.payload,
        metadata: p.metadata,
        recordedAt: r.recorded_at as Date,
        prevHash: hex(r.prev_hash),
        hash: hex(r.hash)!,
      };
    });
  }

  /**
   * After a conflict: if every event id is already stored for this stream with the same type and
   * payload, the append already happened: return it. A partial or different match is a conflict.
   */
  private async findDuplicate(
    streamId: string,
    streamType: string,
    prepared: PreparedEvent[],
    qr: QueryRunner | undefined,
  ): Promise<AppendResult | null> {
    const rows = await query(
      this.dataSource,
      `SELECT ${EVENT_COLUMNS} FROM "events" WHERE "event_id" = ANY($1::uuid[]) ORDER BY "events"."position"`,
      [prepared.map((p) => p.eventId)],
      qr,
    );
    if (rows.length === 0) return null;
    const byId = new Map(rows.map((r) => [String(r.event_id), r]));
    for (const p of prepared) {
      const r = byId.get(p.eventId);
      if (!r) throw new IdempotencyConflictError(p.eventId, 'only part of the batch was stored before');
      if (r.stream_id !== streamId || r.stream_type !== streamType) {
        throw new IdempotencyConflictError(p.eventId, `stored in stream "${String(r.stream_id)}"`);
      }
      if (r.type !== p.type || Number(r.schema_version) !== p.schemaVersion) {
        throw new IdempotencyConflictError(
          p.eventId,
          `stored as ${String(r.type)} v${String(r.schema_version)}`,
        );
      }
      if (canonicalJson(r.payload as JsonValue) !== p.payloadJson) {
        throw new IdempotencyConflictError(p.eventId, 'stored with a different payload');
      }
      const storedRequest = (r.metadata as Partial<EventMetadata> | null)?.requestHash;
      const request = p.metadata.requestHash;
      if (request !== undefined && storedRequest !== undefined && storedRequest !== request) {
        throw new IdempotencyConflictError(p.eventId, 'stored for a request with another body');
      }
    }
    const stored = rows.map((r) => this.toStoredEvent(r));
    return {
      streamVersion: Math.max(...stored.map((e) => e.streamVersion)),
      events: stored,
      duplicate: true,
    };
  }

  // ---------------------------------------------------------------- reads

  /** Stored events by id (in log position order), upcasted; ids not found are left out. */
  async readEvents(eventIds: readonly string[], options: ReadOptions = {}): Promise<StoredEvent[]> {
    const rows = await query(
      this.dataSource,
      `SELECT ${EVENT_COLUMNS} FROM "events" WHERE "event_id" = ANY($1::uuid[]) ORDER BY "events"."position"`,
      [eventIds],
      options.queryRunner,
    );
    return rows.map((r) => this.toStoredEvent(r));
  }

  /** The stream's current version (0 when it has no events). */
  async streamVersion(streamId: string, options: ReadOptions = {}): Promise<number> {
    const rows = await query(
      this.dataSource,
      `SELECT COALESCE(MAX("stream_version"), 0) AS "v" FROM "events" WHERE "stream_id" = $1`,
      [streamId],
      options.queryRunner,
    );
    return Number(rows[0]?.v ?? 0);
  }

  /** Events of one stream from `fromVersion` (inclusive) in version order, upcasted. */
  async readStream(streamId: string, fromVersion = 1, options: ReadOptions = {}): Promise<StoredEvent[]> {
    const rows = await query(
      this.dataSource,
      `SELECT ${EVENT_COLUMNS} FROM "events" WHERE "stream_id" = $1 AND "stream_version" >= $2 ORDER BY "stream_version"`,
      [streamId, fromVersion],
      options.queryRunner,
    );
    return rows.map((r) => this.toStoredEvent(r));
  }

  /**
   * The log in commit order after `after`: only events whose transaction is older than every
   * transaction still running (`tx_id < pg_snapshot_xmin(pg_current_snapshot())`), ordered by
   * (tx_id, position). An event whose transaction commits late is still ahead of every checkpoint
   * handed out before it became visible, so a subscriber never skips it.
   */
  async readAll(
    after: Checkpoint = START,
    limit = 500,
    options: ReadAllOptions = {},
  ): Promise<ReadAllResult> {
    const rows = await query(
      this.dataSource,
      `SELECT ${EVENT_COLUMNS} FROM "events"
       WHERE ("tx_id", "position") > ($1::xid8, $2::bigint)
         ${options.watermark === false ? '' : 'AND "tx_id" < pg_snapshot_xmin(pg_current_snapshot())'}
       ORDER BY "events"."tx_id", "events"."position" LIMIT $3`,
      [after.txId, after.position, limit],
      options.queryRunner,
    );
    const events = rows.map((r) => this.toStoredEvent(r));
    const last = events[events.length - 1];
    return { events, checkpoint: last ? { txId: last.txId, position: last.position } : after };
  }

  /** Events stored after `after` (committed, visible or not yet below the watermark). */
  async countAfter(after: Checkpoint, options: ReadOptions = {}): Promise<number> {
    const rows = await query(
      this.dataSource,
      `SELECT count(*)::int AS "n" FROM "events" WHERE ("tx_id", "position") > ($1::xid8, $2::bigint)`,
      [after.txId, after.position],
      options.queryRunner,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Maps a raw `events` row (selected with the store's column list) and upcasts it. */
  toStoredEvent(r: Row, upcast = true): StoredEvent {
    const metadata = r.metadata as EventMetadata;
    const type = String(r.type);
    const raw = { schemaVersion: Number(r.schema_version), payload: r.payload as JsonObject };
    const up = upcast ? this.upcasters.upcast(type, raw.schemaVersion, raw.payload, metadata) : raw;
    return {
      eventId: String(r.event_id),
      streamId: String(r.stream_id),
      streamType: String(r.stream_type),
      streamVersion: Number(r.stream_version),
      position: String(r.position),
      txId: String(r.tx_id),
      type,
      schemaVersion: up.schemaVersion,
      payload: up.payload,
      metadata,
      recordedAt: r.recorded_at as Date,
      prevHash: hex(r.prev_hash),
      hash: hex(r.hash) ?? '',
    };
  }

  // ---------------------------------------------------------------- aggregates and snapshots

  /**
   * Folds a stream through `reducer`, starting from the latest snapshot saved by the same reducer
   * name AND version (other versions are ignored: snapshots are a disposable cache).
   */
  async loadAggregate<S>(
    streamId: string,
    reducer: Reducer<S>,
    options: LoadAggregateOptions = {},
  ): Promise<LoadedAggregate<S>> {
    const snap = await query(
      this.dataSource,
      `SELECT "stream_version", "state" FROM "snapshots"
       WHERE "stream_id" = $1 AND "reducer_name" = $2 AND "reducer_version" = $3`,
      [streamId, reducer.name, reducer.version],
      options.queryRunner,
    );
    const snapshotVersion = snap[0] ? Number(snap[0].stream_version) : 0;
    let state: S = snap[0] ? (snap[0].state as S) : reducer.initial;
    const events = await this.readStream(streamId, snapshotVersion + 1, options);
    let version = snapshotVersion;
    for (const e of events) {
      state = reducer.evolve(state, e);
      version = e.streamVersion;
    }
    if (
      options.snapshotEvery !== undefined &&
      events.length > 0 &&
      version - snapshotVersion >= options.snapshotEvery
    ) {
      await this.saveSnapshot(streamId, reducer, version, state, options);
    }
    return { state, version, snapshotVersion, eventsFolded: events.length };
  }

  /** Stores `state` as the snapshot of (stream, reducer) unless a newer one of that version exists. */
  async saveSnapshot<S>(
    streamId: string,
    reducer: Pick<Reducer<S>, 'name' | 'version'>,
    streamVersion: number,
    state: S,
    options: ReadOptions = {},
  ): Promise<void> {
    await query(
      this.dataSource,
      `INSERT INTO "snapshots" ("stream_id", "reducer_name", "reducer_version", "stream_version", "state")
       VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT ("stream_id", "reducer_name") DO UPDATE
         SET "reducer_version" = EXCLUDED."reducer_version", "stream_version" = EXCLUDED."stream_version",
             "state" = EXCLUDED."state", "created_at" = now()
         WHERE "snapshots"."reducer_version" <> EXCLUDED."reducer_version"
            OR "snapshots"."stream_version" < EXCLUDED."stream_version"`,
      [streamId, reducer.name, reducer.version, streamVersion, JSON.stringify(state)],
      options.queryRunner,
    );
  }

  // ---------------------------------------------------------------- integrity

  /**
   * Walks every stream in (stream_id, stream_version) order, a batch at a time, and recomputes each
   * hash from the stored fields: versions must be contiguous from 1, `prev_hash` must equal the
   * previous event's hash, `hash` must match, and `occurred_at` must equal `metadata.occurredAt`.
   */
  async verifyChains(options: VerifyChainsOptions = {}): Promise<VerifyChainsResult> {
    const batchSize = options.batchSize ?? 1000;
    let cursor: { streamId: string; version: number } | null = null;
    let current: string | null = null;
    let prev: Buffer | null = null;
    let expectedVersion = 1;
    let checked = 0;
    for (;;) {
      const params: unknown[] = [batchSize];
      const where: string[] = [];
      if (cursor) {
        params.push(cursor.streamId, cursor.version);
        where.push(`("stream_id", "stream_version") > ($2, $3)`);
      }
      if (options.streamId !== undefined) {
        params.push(options.streamId);
        where.push(`"stream_id" = $${params.length}`);
      }
      const rows = await query(
        this.dataSource,
        `SELECT ${EVENT_COLUMNS} FROM "events" ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY "stream_id", "stream_version" LIMIT $1`,
        params,
      );
      for (const r of rows) {
        const e = this.toStoredEvent(r, false);
        if (e.streamId !== current) {
          current = e.streamId;
          prev = null;
          expectedVersion = 1;
        }
        const broken = (reason: string): VerifyChainsResult => ({
          ok: false,
          eventsChecked: checked,
          firstBroken: { streamId: e.streamId, version: e.streamVersion, reason },
        });
        if (e.streamVersion !== expectedVersion) {
          return broken(`expected version ${expectedVersion}, found ${e.streamVersion}`);
        }
        const storedPrev = Buffer.isBuffer(r.prev_hash) ? r.prev_hash : null;
        if ((storedPrev === null) !== (prev === null) || (storedPrev && prev && !storedPrev.equals(prev))) {
          return broken('prev_hash does not match the previous event');
        }
        const occurredAt = (r.occurred_at as Date).toISOString();
        if (occurredAt !== e.metadata?.occurredAt) {
          return broken('occurred_at differs from metadata.occurredAt');
        }
        const expected = chainHash(prev, canonicalEvent({ ...e, occurredAt: e.metadata.occurredAt }));
        const stored = r.hash as Buffer;
        if (!expected.equals(stored)) return broken('hash does not match the event');
        prev = stored;
        expectedVersion++;
        checked++;
      }
      if (rows.length < batchSize) return { ok: true, eventsChecked: checked };
      const last = rows[rows.length - 1];
      cursor = { streamId: String(last.stream_id), version: Number(last.stream_version) };
    }
  }
}
