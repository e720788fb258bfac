import type { QueryRunner } from 'typeorm';
import type { EventStore } from './event-store.js';
import { inTransaction, query, runQuery } from './sql.js';
import { START, type Checkpoint, type StoredEvent } from './types.js';

export type SubscriptionHandler = (event: StoredEvent, tx: QueryRunner) => Promise<void>;

export interface SubscriptionRunnerOptions {
  name: string;
  handler: SubscriptionHandler;
  /** Only these event types reach the handler; the others just move the checkpoint. All if absent. */
  types?: readonly string[];
  batchSize?: number;
  pollIntervalMs?: number;
  /** Handler attempts per event before it is parked. Default 5. */
  maxAttempts?: number;
  /** Delay before attempt `attempt + 1` (attempt counts from 1). Default 50ms doubling, capped at 2s. */
  backoffMs?: (attempt: number) => number;
  /** Told about every failed attempt, parking and loop error (logging hook); never throws into the loop. */
  onError?: (error: unknown, context: { event?: StoredEvent; attempt?: number; parked?: boolean }) => void;
}

export interface ReplayResult {
  replayed: number;
  failed: number;
}

/** Thrown when the checkpoint moved under us: another process owns the subscription now. */
class LostOwnership extends Error {}

/** Advisory-lock key of a subscription (shared by runners and `rebuildProjection`). */
export const SUBSCRIPTION_LOCK_SQL = `hashtextextended('event-store-subscription:' || $1, 0)`;

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * Feeds one named subscription from the commit-ordered log. Only one runner per name is active
 * across processes (a session advisory lock held on a dedicated connection); the others stay idle
 * and keep trying. Each event is handled in its own transaction that also moves the checkpoint
 * (compare-and-set, so a runner that lost its lock cannot move it twice). A failing handler is
 * retried with backoff, then the event is parked and the subscription goes on.
 */
export class SubscriptionRunner {
  readonly name: string;
  private readonly opts: Required<Omit<SubscriptionRunnerOptions, 'types' | 'onError'>> &
    Pick<SubscriptionRunnerOptions, 'types' | 'onError'>;
  private lockConnection: QueryRunner | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private active = false;
  private checkpoint: Checkpoint = START;
  private wake: (() => void) | undefined;

  constructor(
    private readonly store: EventStore,
    options: SubscriptionRunnerOptions,
  ) {
    this.name = options.name;
    this.opts = {
      batchSize: 100,
      pollIntervalMs: 250,
      maxAttempts: 5,
      backoffMs: (attempt: number) => Math.min(50 * 2 ** (attempt - 1), 2000),
      ...options,
    };
  }

  /** True while this runner holds the subscription's lock. */
  get isActive(): boolean {
    return this.active;
  }

  get isRunning(): boolean {
    return this.loop !== undefined;
  }

  /** Opens the lock connection and starts polling in the background. */
  async start(): Promise<void> {
    if (this.loop) return;
    this.starting ??= (async () => {
      this.stopping = false;
      const conn = this.store.dataSource.createQueryRunner();
      try {
        await conn.connect();
      } catch (e) {
        await conn.release();
        throw e;
      }
      this.lockConnection = conn;
      this.loop = this.run();
    })().finally(() => {
      this.starting = undefined;
    });
    await this.starting;
  }

  private starting: Promise<void> | undefined;

  /** Lets the event in flight finish (its transaction commits or rolls back), then releases the lock. */
  async stop(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    if (!this.loop) return;
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    const conn = this.lockConnection;
    this.lockConnection = undefined;
    if (conn) {
      try {
        if (this.active)
          await runQuery(conn, `SELECT pg_advisory_unlock(${SUBSCRIPTION_LOCK_SQL})`, [this.name]);
      } finally {
        this.active = false;
        await conn.release();
      }
    }
  }

  /** Events stored after this subscription's saved checkpoint (for health checks). */
  async lag(): Promise<number> {
    return subscriptionLag(this.store, this.name);
  }

  /** Runs the handler again on every parked event of this subscription not yet replayed. */
  async replayParked(): Promise<ReplayResult> {
    return replayParked(this.store, this.name, this.opts.handler);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        if (!this.active) {
          this.active = await this.tryLock();
          if (!this.active) {
            await this.sleep(this.opts.pollIntervalMs);
            continue;
          }
          this.checkpoint = await this.loadCheckpoint();
        }
        const processed = await this.pollOnce();
        if (processed === 0) await this.sleep(this.opts.pollIntervalMs);
      } catch (e) {
        if (e instanceof LostOwnership) {
          await this.unlockQuietly();
        } else {
          this.report(e, {});
        }
        await this.sleep(this.opts.pollIntervalMs);
      }
    }
  }

  private async tryLock(): Promise<boolean> {
    const rows = await runQuery(
      this.lockConnection!,
      `SELECT pg_try_advisory_lock(${SUBSCRIPTION_LOCK_SQL}) AS "ok"`,
      [this.name],
    );
    return rows[0]?.ok === true;
  }

  private async unlockQuietly(): Promise<void> {
    this.active = false;
    try {
      await runQuery(this.lockConnection!, `SELECT pg_advisory_unlock(${SUBSCRIPTION_LOCK_SQL})`, [
        this.name,
      ]);
    } catch (e) {
      this.report(e, {});
    }
  }

  private async loadCheckpoint(): Promise<Checkpoint> {
    const rows = await query(
      this.store.dataSource,
      `INSERT INTO "subscription_checkpoints" ("name") VALUES ($1)
       ON CONFLICT ("name") DO UPDATE SET "name" = EXCLUDED."name"
       RETURNING "tx_id"::text AS "tx_id", "position"::text AS "position"`,
      [this.name],
    );
    return { txId: String(rows[0].tx_id), position: String(rows[0].position) };
  }

  /** Handles one batch; returns how many events it read. */
  private async pollOnce(): Promise<number> {
    const { events } = await this.store.readAll(this.checkpoint, this.opts.batchSize);
    let skipped: StoredEvent | undefined;
    for (const event of events) {
      if (this.stopping) break;
      if (this.opts.types && !this.opts.types.includes(event.type)) {
        skipped = event;
        continue;
      }
      if (skipped) {
        await this.commitAt(skipped, async () => {});
        skipped = undefined;
      }
      const done = await this.handleWithRetries(event);
      if (!done) return events.length; // stopping during backoff: leave the event for the next owner
    }
    if (skipped) {
      await this.commitAt(skipped, async () => {});
    }
    return events.length;
  }

  private async handleWithRetries(event: StoredEvent): Promise<boolean> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.opts.maxAttempts; attempt++) {
      try {
        await this.commitAt(event, (tx) => this.opts.handler(event, tx));
        return true;
      } catch (e) {
        if (e instanceof LostOwnership) throw e;
        lastError = e;
        this.report(e, { event, attempt });
        if (attempt < this.opts.maxAttempts) {
          await this.sleep(this.opts.backoffMs(attempt));
          if (this.stopping) return false;
        }
      }
    }
    await this.commitAt(event, async (tx) => {
      await runQuery(
        tx,
        `INSERT INTO "parked_events" ("subscription", "event_id", "position", "error", "attempts")
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT ("subscription", "event_id") DO UPDATE
           SET "error" = EXCLUDED."error", "attempts" = "parked_events"."attempts" + EXCLUDED."attempts",
               "parked_at" = now(), "replayed_at" = NULL`,
        [this.name, event.eventId, event.position, message(lastError), this.opts.maxAttempts],
      );
    });
    this.report(lastError, { event, attempt: this.opts.maxAttempts, parked: true });
    return true;
  }

  /** Moves the checkpoint from where we believe it is to `event`, in the caller's transaction. */
  private async advance(tx: QueryRunner, event: StoredEvent): Promise<void> {
    const rows = await runQuery(
      tx,
      `UPDATE "subscription_checkpoints" SET "tx_id" = $2::xid8, "position" = $3, "updated_at" = now()
       WHERE "name" = $1 AND "tx_id" = $4::xid8 AND "position" = $5 RETURNING "name"`,
      [this.name, event.txId, event.position, this.checkpoint.txId, this.checkpoint.position],
    );
    if (rows.length !== 1) throw new LostOwnership(`checkpoint of "${this.name}" moved under this runner`);
  }

  /** Runs `fn` and the checkpoint move to `event` in one transaction; believes the move once committed. */
  private async commitAt(event: StoredEvent, fn: (tx: QueryRunner) => Promise<void>): Promise<void> {
    await inTransaction(this.store.dataSource, async (tx) => {
      await fn(tx);
      await this.advance(tx, event);
    });
    this.checkpoint = { txId: event.txId, position: event.position };
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private report(error: unknown, context: { event?: StoredEvent; attempt?: number; parked?: boolean }): void {
    try {
      this.opts.onError?.(error, context);
    } catch {
      // a logging hook must not stop the subscription
    }
  }
}

/** Events stored after the subscription's saved checkpoint (all of them if it never ran). */
export async function subscriptionLag(store: EventStore, name: string): Promise<number> {
  const rows = await query(
    store.dataSource,
    `SELECT "tx_id"::text AS "tx_id", "position"::text AS "position" FROM "subscription_checkpoints" WHERE "name" = $1`,
    [name],
  );
  const cp = rows[0] ? { txId: String(rows[0].tx_id), position: String(rows[0].position) } : START;
  return store.countAfter(cp);
}

/**
 * Re-runs `handler` on the subscription's parked events (oldest first), each in its own transaction
 * that also marks it replayed. A failure records the new error and attempt and goes on.
 */
export async function replayParked(
  store: EventStore,
  subscription: string,
  handler: SubscriptionHandler,
): Promise<ReplayResult> {
  const parked = await query(
    store.dataSource,
    `SELECT "event_id" FROM "parked_events" WHERE "subscription" = $1 AND "replayed_at" IS NULL ORDER BY "position"`,
    [subscription],
  );
  const result: ReplayResult = { replayed: 0, failed: 0 };
  for (const p of parked) {
    const eventId = String(p.event_id);
    try {
      await inTransaction(store.dataSource, async (tx) => {
        const [event] = await store.readEvents([eventId], { queryRunner: tx });
        if (!event) throw new Error(`parked event ${eventId} is not in the log`);
        await handler(event, tx);
        await runQuery(
          tx,
          `UPDATE "parked_events" SET "replayed_at" = now(), "attempts" = "attempts" + 1
           WHERE "subscription" = $1 AND "event_id" = $2`,
          [subscription, eventId],
        );
      });
      result.replayed++;
    } catch (e) {
      result.failed++;
      await query(
        store.dataSource,
        `UPDATE "parked_events" SET "error" = $3, "attempts" = "attempts" + 1 WHERE "subscription" = $1 AND "event_id" = $2`,
        [subscription, eventId, message(e)],
      );
    }
  }
  return result;
}
