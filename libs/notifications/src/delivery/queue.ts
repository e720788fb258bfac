import {
  Queue,
  UnrecoverableError,
  Worker,
  type ConnectionOptions,
  type Job,
  type JobsOptions,
} from 'bullmq';
import { DeliveryAttemptError, DeliveryNotFoundError, InvalidNotificationInputError } from '../errors.js';
import { isUuid } from '../ids.js';
import { selectRows } from '../sql.js';
import type { SqlRunner } from '../types.js';
import type { DeliveryService } from './delivery-service.js';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './policy.js';

export const NOTIFICATION_QUEUES = Object.freeze({ delivery: 'notification-delivery' } as const);
export const DELIVERY_JOB_NAME = 'deliver';

export interface DeliveryJobData {
  deliveryId: string;
}

/** `delivery-<uuid>`: deterministic, no ':' (BullMQ forbids it in custom ids). */
export function deliveryJobId(deliveryId: string): string {
  if (!isUuid(deliveryId)) throw new InvalidNotificationInputError('deliveryId', 'must be a UUID');
  return `delivery-${deliveryId.toLowerCase()}`;
}

/** Job options: retries with exponential backoff; completed jobs removed so an id can be re-added. */
export function deliveryJobOptions(deliveryId: string, policy: Partial<DeliveryPolicy> = {}): JobsOptions {
  const p = { ...DEFAULT_DELIVERY_POLICY, ...policy };
  return {
    jobId: deliveryJobId(deliveryId),
    attempts: p.maxAttempts,
    backoff: { type: 'exponential', delay: p.baseDelayMs },
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

export type DeliveryProcessor = (job: Pick<Job<DeliveryJobData>, 'data'>) => Promise<void>;

/**
 * The BullMQ processor: delivers once, records the outcome in the database, then returns (BullMQ acks).
 * A `failed` attempt throws so BullMQ retries with backoff; `dead` throws UnrecoverableError (no retry);
 * `skipped` (already sent, dead, or claimed elsewhere) completes quietly.
 */
export function createDeliveryProcessor(service: DeliveryService): DeliveryProcessor {
  return async (job) => {
    let outcome;
    try {
      outcome = await service.deliver(job.data.deliveryId);
    } catch (e) {
      // a job naming no stored delivery can never succeed: do not retry it
      if (e instanceof DeliveryNotFoundError) throw new UnrecoverableError(e.message);
      throw e;
    }
    if (outcome.status === 'failed') {
      throw new DeliveryAttemptError(
        outcome.deliveryId,
        outcome.attempts,
        'failed',
        outcome.responseCode,
        outcome.error,
      );
    }
    if (outcome.status === 'dead') {
      throw new UnrecoverableError(
        new DeliveryAttemptError(
          outcome.deliveryId,
          outcome.attempts,
          'dead',
          outcome.responseCode,
          outcome.error,
        ).message,
      );
    }
  };
}

export interface DeliveryQueueOptions {
  connection: ConnectionOptions;
  prefix?: string;
}

export function createDeliveryQueue(options: DeliveryQueueOptions): Queue<DeliveryJobData> {
  return new Queue<DeliveryJobData>(NOTIFICATION_QUEUES.delivery, {
    connection: options.connection,
    ...(options.prefix ? { prefix: options.prefix } : {}),
  });
}

export function createDeliveryWorker(
  service: DeliveryService,
  options: DeliveryQueueOptions & { concurrency?: number },
): Worker<DeliveryJobData> {
  const processor = createDeliveryProcessor(service);
  return new Worker<DeliveryJobData>(NOTIFICATION_QUEUES.delivery, (job) => processor(job), {
    connection: options.connection,
    concurrency: options.concurrency ?? 4,
    ...(options.prefix ? { prefix: options.prefix } : {}),
  });
}

type DeliveryQueue = Pick<Queue<DeliveryJobData>, 'add' | 'getJob'>;

/** Adds jobs for freshly stored deliveries (call after the transaction that stored them commits). */
export async function enqueueDeliveries(
  queue: DeliveryQueue,
  deliveryIds: readonly string[],
  policy: Partial<DeliveryPolicy> = {},
): Promise<void> {
  for (const id of deliveryIds) {
    await queue.add(DELIVERY_JOB_NAME, { deliveryId: id }, deliveryJobOptions(id, policy));
  }
}

export interface SweepResult {
  /** Jobs added. */
  enqueued: number;
  /** Deliveries whose job is already waiting, delayed or running. */
  alreadyQueued: number;
}

/**
 * The safety net that makes delivery independent of Redis having been up: every delivery that is
 * `pending`, `failed` and due, or `sending` with an expired claim (a worker died mid-send) gets a job
 * with its deterministic id. A job that is still waiting/delayed/active is left alone; a finished one
 * (failed after BullMQ's own attempts, or completed while the row is due again) is replaced. Run it
 * at worker start and periodically (e.g. every 30 s); running it twice enqueues nothing twice.
 */
export async function enqueuePendingDeliveries(
  queue: DeliveryQueue,
  db: SqlRunner,
  options: { policy?: Partial<DeliveryPolicy>; batchSize?: number } = {},
): Promise<SweepResult> {
  const policy = { ...DEFAULT_DELIVERY_POLICY, ...options.policy };
  const batchSize = options.batchSize ?? 500;
  const result: SweepResult = { enqueued: 0, alreadyQueued: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await selectRows<{ id: string }>(
      db,
      `SELECT id FROM notification_deliveries
        WHERE id > $1
          AND (status = 'pending'
               OR (status = 'failed' AND next_attempt_at <= now())
               OR (status = 'sending' AND claimed_at < now() - $2::bigint * interval '1 millisecond'))
        ORDER BY id
        LIMIT $3`,
      [after, policy.leaseMs, batchSize],
    );
    for (const { id } of rows) {
      const existing = await queue.getJob(deliveryJobId(id));
      if (existing) {
        const state = await existing.getState();
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') {
          result.alreadyQueued++;
          continue;
        }
        await existing.remove();
      }
      await queue.add(DELIVERY_JOB_NAME, { deliveryId: id }, deliveryJobOptions(id, policy));
      result.enqueued++;
    }
    if (rows.length < batchSize) return result;
    after = rows[rows.length - 1].id;
  }
}

export interface DeliverySweeper {
  /** Runs one sweep now (waits for a running one instead of overlapping). */
  sweepNow(): Promise<SweepResult>;
  stop(): Promise<void>;
}

/**
 * Runs `enqueuePendingDeliveries` at start and every `intervalMs` (default 30 s), never two at once.
 * Errors (Redis or Postgres down) are reported to `onError` and the next tick tries again: the rows
 * wait in Postgres meanwhile.
 */
export function startDeliverySweeper(
  queue: DeliveryQueue,
  db: SqlRunner,
  options: {
    intervalMs?: number;
    policy?: Partial<DeliveryPolicy>;
    onError?: (error: unknown) => void;
  } = {},
): DeliverySweeper {
  let running: Promise<SweepResult> | undefined;
  const sweepNow = (): Promise<SweepResult> => {
    running ??= enqueuePendingDeliveries(queue, db, {
      ...(options.policy ? { policy: options.policy } : {}),
    }).finally(() => {
      running = undefined;
    });
    return running;
  };
  const tick = () => {
    sweepNow().catch((e: unknown) => options.onError?.(e));
  };
  const timer = setInterval(tick, options.intervalMs ?? 30_000);
  timer.unref();
  tick();
  return {
    sweepNow,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
