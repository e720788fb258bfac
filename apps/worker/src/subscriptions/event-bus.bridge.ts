import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EventBus, EventsHandler, type IEvent, type IEventHandler } from '@nestjs/cqrs';
import { EventStore, SubscriptionRunner, type StoredEvent } from '@talent/event-store';
import { WORKER_CONFIG, type WorkerSettings } from '../worker-config.js';

/** A committed event on the @nestjs/cqrs EventBus. Published only after commit, in log order. */
export class CommittedEvent implements IEvent {
  constructor(readonly event: StoredEvent) {}
}

/** Feeds the EventBus from the committed log, never from memory before commit. */
@Injectable()
export class EventBusBridge implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly runner: SubscriptionRunner;

  constructor(store: EventStore, bus: EventBus, @Inject(WORKER_CONFIG) settings: WorkerSettings) {
    this.runner = new SubscriptionRunner(store, {
      name: 'event-bus',
      pollIntervalMs: settings.pollMs,
      handler: async (event) => {
        bus.publish(new CommittedEvent(event));
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

/** Counts committed events by type (exposed on /metrics): an EventBus consumer fed by the bridge. */
@EventsHandler(CommittedEvent)
export class CommittedEventCounter implements IEventHandler<CommittedEvent> {
  readonly byType = new Map<string, number>();

  handle({ event }: CommittedEvent): void {
    this.byType.set(event.type, (this.byType.get(event.type) ?? 0) + 1);
  }
}
