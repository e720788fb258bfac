import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { EventStore, SubscriptionRunner } from '@talent/event-store';
import { cancelJobs, scheduleJobs } from '@talent/scheduling';
import { NotificationPlanner, RelayPlanner } from '@talent/use-cases';
import { AGGREGATES } from '@talent/workflows';
import { WORKER_CONFIG, type WorkerSettings } from '../worker-config.js';

/**
 * Only case events call for timers, follow-ups and notifications; the runner skips the rest in
 * one checkpoint move per batch (a bulk import of employee facts does not hold the relay up).
 */
const CASE_EVENT_TYPES: readonly string[] = [
  ...new Set(Object.values(AGGREGATES).flatMap((a) => Object.keys(a.eventSchemas))),
];

/**
 * Reads the committed log (gap-free order, one active runner across processes) and records, in the
 * same transaction as its checkpoint, every job the event calls for: timers to schedule or cancel,
 * process-manager commands. Nothing is enqueued to Redis here; the dispatcher does that.
 */
@Injectable()
export class RelaySubscription implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Relay');
  readonly runner: SubscriptionRunner;

  constructor(store: EventStore, planner: RelayPlanner, @Inject(WORKER_CONFIG) settings: WorkerSettings) {
    this.runner = new SubscriptionRunner(store, {
      name: 'relay',
      types: CASE_EVENT_TYPES,
      pollIntervalMs: settings.pollMs,
      handler: async (event, tx) => {
        const plan = await planner.plan(event, tx);
        await scheduleJobs(tx, plan.schedule);
        await cancelJobs(tx, plan.cancel);
      },
      onError: (error, c) =>
        this.logger.warn(
          `relay ${c.parked ? 'parked' : 'retrying'} event ${c.event?.eventId ?? '-'}: ${String(error)}`,
        ),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

/** Plans and stores the notifications of each committed case event (in-app, e-mail, webhooks). */
@Injectable()
export class NotificationSubscription implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Notifications');
  readonly runner: SubscriptionRunner;

  constructor(
    store: EventStore,
    planner: NotificationPlanner,
    @Inject(WORKER_CONFIG) settings: WorkerSettings,
  ) {
    this.runner = new SubscriptionRunner(store, {
      name: 'notifications',
      types: CASE_EVENT_TYPES,
      pollIntervalMs: settings.pollMs,
      handler: async (event, tx) => {
        await planner.plan(event, tx);
      },
      onError: (error, c) =>
        this.logger.warn(
          `notifications ${c.parked ? 'parked' : 'retrying'} event ${c.event?.eventId ?? '-'}: ${String(error)}`,
        ),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}
