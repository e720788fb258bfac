import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { WorkerConfig } from '@talent/config';
import { DatabaseModule, HealthModule, LoggingModule, RedisModule } from '@talent/infrastructure';
import { EventStoreModule, ScheduledWorkModule } from '@talent/use-cases';
import { MetricsController } from './ops/metrics.controller.js';
import { CycleSchedules } from './queues/cycle-schedules.js';
import { Dispatcher } from './queues/dispatcher.js';
import { Processors } from './queues/processors.js';
import { WorkQueues } from './queues/work-queues.js';
import { CommittedEventCounter, EventBusBridge } from './subscriptions/event-bus.bridge.js';
import { NotificationSubscription, RelaySubscription } from './subscriptions/relay.subscription.js';
import { WORKER_CONFIG, type WorkerSettings } from './worker-config.js';

const subscriptions = [RelaySubscription, NotificationSubscription, EventBusBridge];
const queueServices = [WorkQueues, Dispatcher, Processors, CycleSchedules];
const eventHandlers = [CommittedEventCounter];

export interface WorkerOptions {
  queuePrefix?: string;
  pollMs?: number;
}

@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig, options: WorkerOptions = {}): DynamicModule {
    const settings: WorkerSettings = {
      config,
      queuePrefix: options.queuePrefix ?? 'talent',
      pollMs: options.pollMs ?? config.RELAY_POLL_MS,
    };
    return {
      module: WorkerModule,
      imports: [
        LoggingModule.forRoot({ level: config.LOG_LEVEL, service: 'worker' }),
        // Each subscription holds a lock connection and a transaction; each job run needs up to two more.
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: Math.max(config.DATABASE_POOL_SIZE, 6 + 2 * config.WORKER_CONCURRENCY),
          applicationName: 'talent-worker',
        }),
        RedisModule.forRoot(config.REDIS_URL),
        CqrsModule.forRoot(),
        EventStoreModule.forRoot({ appendSlots: config.EVENT_STORE_APPEND_SLOTS }),
        ScheduledWorkModule,
        HealthModule,
      ],
      controllers: [MetricsController],
      providers: [
        { provide: WORKER_CONFIG, useValue: settings },
        ...subscriptions,
        ...queueServices,
        ...eventHandlers,
      ],
    };
  }
}
