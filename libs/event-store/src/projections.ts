import type { QueryRunner } from 'typeorm';
import { SubscriptionBusyError } from './errors.js';
import type { EventStore } from './event-store.js';
import { inTransaction, runQuery } from './sql.js';
import {
  SUBSCRIPTION_LOCK_SQL,
  SubscriptionRunner,
  type SubscriptionRunnerOptions,
} from './subscription-runner.js';
import { START, type Checkpoint, type InlineHandler, type StoredEvent } from './types.js';

/** A read model built from the log. `apply` and `reset` write only through `tx`. */
export interface Projection {
  name: string;
  /** Event types `apply` cares about. */
  handles: readonly string[];
  apply(event: StoredEvent, tx: QueryRunner): Promise<void>;
  /** Empties the read model (truncate/delete its rows). */
  reset(tx: QueryRunner): Promise<void>;
}

/** An `append` inline handler that applies the stored events to each projection that handles them. */
export function inlineProjections(...projections: readonly Projection[]): InlineHandler {
  return async (tx, stored) => {
    for (const event of stored) {
      for (const p of projections) if (p.handles.includes(event.type)) await p.apply(event, tx);
    }
  };
}

/** The subscription name an async projection runs under. */
export function projectionSubscriptionName(projection: Pick<Projection, 'name'>): string {
  return `projection:${projection.name}`;
}

/** A runner that keeps an async projection up to date from the log. */
export function projectionRunner(
  store: EventStore,
  projection: Projection,
  options: Omit<SubscriptionRunnerOptions, 'name' | 'handler' | 'types'> = {},
): SubscriptionRunner {
  return new SubscriptionRunner(store, {
    ...options,
    name: projectionSubscriptionName(projection),
    types: projection.handles,
    handler: (event, tx) => projection.apply(event, tx),
  });
}

export interface RebuildOptions {
  batchSize?: number;
  /**
   * The subscription feeding this projection (async projections): its checkpoint is set to the last
   * event replayed and its parked events marked replayed, in the same transaction, and the rebuild
   * refuses to run while a runner holds the subscription. Omit for inline projections.
   */
  subscription?: string;
}

export interface RebuildResult {
  eventsApplied: number;
  checkpoint: Checkpoint;
}

/**
 * Resets the projection and replays the whole committed log (commit order) into it, in one
 * transaction: readers see the old rows until the new ones are complete. `reset` must lock what
 * `apply` writes (TRUNCATE does) so concurrent inline appends wait for the rebuild.
 */
export async function rebuildProjection(
  store: EventStore,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const batchSize = options.batchSize ?? 1000;
  return inTransaction(store.dataSource, async (tx) => {
    if (options.subscription !== undefined) {
      const rows = await runQuery(tx, `SELECT pg_try_advisory_xact_lock(${SUBSCRIPTION_LOCK_SQL}) AS "ok"`, [
        options.subscription,
      ]);
      if (rows[0]?.ok !== true) throw new SubscriptionBusyError(options.subscription);
    }
    await projection.reset(tx);
    let checkpoint = START;
    let applied = 0;
    for (;;) {
      // With a subscription, stop at the watermark: the runner delivers the rest after the checkpoint.
      // Without one (inline projection) read every committed event: rows of events committed beyond
      // the watermark were reset too, and uncommitted appends cannot write the reset tables before
      // this transaction ends (reset holds their locks), so they apply themselves afterwards.
      const page = await store.readAll(checkpoint, batchSize, {
        queryRunner: tx,
        watermark: options.subscription !== undefined,
      });
      for (const event of page.events) {
        if (!projection.handles.includes(event.type)) continue;
        await projection.apply(event, tx);
        applied++;
      }
      checkpoint = page.checkpoint;
      if (page.events.length < batchSize) break;
    }
    if (options.subscription !== undefined) {
      await runQuery(
        tx,
        `INSERT INTO "subscription_checkpoints" ("name", "tx_id", "position") VALUES ($1, $2::xid8, $3)
         ON CONFLICT ("name") DO UPDATE SET "tx_id" = EXCLUDED."tx_id", "position" = EXCLUDED."position",
           "updated_at" = now()`,
        [options.subscription, checkpoint.txId, checkpoint.position],
      );
      await runQuery(
        tx,
        `UPDATE "parked_events" SET "replayed_at" = now() WHERE "subscription" = $1 AND "replayed_at" IS NULL`,
        [options.subscription],
      );
    }
    return { eventsApplied: applied, checkpoint };
  });
}
