import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { createDeliveryQueue, type DeliveryJobData } from '@talent/notifications';
import { WORK_QUEUES, type WorkQueue } from '@talent/use-cases';
import { bullConnection, WORKER_CONFIG, type WorkerSettings } from '../worker-config.js';

/** The BullMQ queues this process produces to (one connection set per queue). */
@Injectable()
export class WorkQueues implements OnApplicationShutdown {
  readonly byName: Record<WorkQueue, Queue>;
  readonly delivery: Queue<DeliveryJobData>;

  constructor(@Inject(WORKER_CONFIG) settings: WorkerSettings) {
    const connection = bullConnection(settings.config.REDIS_URL);
    const make = (name: string) => new Queue(name, { connection, prefix: settings.queuePrefix });
    this.byName = {
      [WORK_QUEUES.timers]: make(WORK_QUEUES.timers),
      [WORK_QUEUES.effects]: make(WORK_QUEUES.effects),
      [WORK_QUEUES.schedules]: make(WORK_QUEUES.schedules),
    };
    for (const q of Object.values(this.byName)) q.on('error', () => undefined);
    this.delivery = createDeliveryQueue({ connection, prefix: settings.queuePrefix });
    this.delivery.on('error', () => undefined);
  }

  get(name: string): Queue {
    const q = this.byName[name as WorkQueue];
    if (!q) throw new Error(`unknown queue '${name}'`);
    return q;
  }

  all(): Queue[] {
    return [...Object.values(this.byName), this.delivery];
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.all().map((q) => q.close()));
  }
}
