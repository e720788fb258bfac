import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Worker, type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import {
  createDeliveryWorker,
  DeliveryService,
  type DeliverySweeper,
  EmailSender,
  startDeliverySweeper,
  WebhookSender,
} from '@talent/notifications';
import { markAttemptFailed } from '@talent/scheduling';
import { DECLARED_JOBS, ScheduledJobRunner, WORK_QUEUES, type WorkQueue } from '@talent/use-cases';
import { assertJobWiring, type JobDefinition } from './queue-registry.js';
import { bullConnection, WORKER_CONFIG, type WorkerSettings } from '../worker-config.js';
import { WorkQueues } from './work-queues.js';

/**
 * Runs the jobs: every (queue, name) pair has exactly one handler, checked at start-up. Shutdown
 * closes the workers, which waits for the jobs in flight to finish.
 */
@Injectable()
export class Processors implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Processors');
  private readonly workers: Worker[] = [];
  private sweeper: DeliverySweeper | undefined;
  private email: EmailSender | undefined;
  readonly completed = new Map<string, number>();
  readonly failed = new Map<string, number>();

  constructor(
    private readonly runner: ScheduledJobRunner,
    private readonly dataSource: DataSource,
    private readonly queues: WorkQueues,
    @Inject(WORKER_CONFIG) private readonly settings: WorkerSettings,
  ) {}

  definitions(): JobDefinition[] {
    const run = async (job: Job) => {
      const outcome = await this.runner.run(job.id ?? job.name, job.name, job.data, new Date().toISOString());
      return outcome;
    };
    return DECLARED_JOBS.map((d) => ({ queue: d.queue, name: d.name, handler: run }));
  }

  onApplicationBootstrap(): void {
    const definitions = this.definitions();
    assertJobWiring(DECLARED_JOBS, definitions);
    const connection = bullConnection(this.settings.config.REDIS_URL);
    const queueNames = [...new Set(definitions.map((d) => d.queue))] as WorkQueue[];
    for (const queue of queueNames) {
      const worker = new Worker(
        queue,
        async (job: Job) => {
          const def = definitions.find((d) => d.queue === queue && d.name === job.name);
          if (!def) throw new Error(`no handler for ${queue}/${job.name}`);
          return def.handler(job);
        },
        {
          connection,
          prefix: this.settings.queuePrefix,
          concurrency: this.settings.config.WORKER_CONCURRENCY,
        },
      );
      worker.on('completed', () => this.count(this.completed, queue));
      worker.on('failed', (job, err) => {
        this.count(this.failed, queue);
        const final = !!job && job.attemptsMade >= (job.opts.attempts ?? 1);
        if (job?.id && queue !== WORK_QUEUES.schedules) {
          markAttemptFailed(this.dataSource, job.id, err.message, final).catch(() => undefined);
        }
        this.logger.warn(
          `job ${queue}/${job?.name ?? '?'} ${job?.id ?? ''} failed (attempt ${job?.attemptsMade ?? '?'}): ${err.message}`,
        );
      });
      worker.on('error', () => undefined);
      this.workers.push(worker);
    }

    const cfg = this.settings.config;
    this.email = EmailSender.fromConfig({ SMTP_URL: cfg.SMTP_URL, MAIL_FROM: cfg.MAIL_FROM });
    const delivery = new DeliveryService({
      db: this.dataSource,
      email: this.email,
      webhook: new WebhookSender(),
    });
    const deliveryWorker = createDeliveryWorker(delivery, {
      connection,
      prefix: this.settings.queuePrefix,
      concurrency: cfg.WORKER_CONCURRENCY,
    });
    deliveryWorker.on('error', () => undefined);
    deliveryWorker.on('completed', () => this.count(this.completed, 'notification-delivery'));
    deliveryWorker.on('failed', () => this.count(this.failed, 'notification-delivery'));
    this.workers.push(deliveryWorker);
    this.sweeper = startDeliverySweeper(this.queues.delivery, this.dataSource, {
      intervalMs: this.settings.pollMs,
      onError: () => undefined,
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.sweeper?.stop();
    await Promise.allSettled(this.workers.map((w) => w.close()));
    this.email?.close();
  }

  private count(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}
