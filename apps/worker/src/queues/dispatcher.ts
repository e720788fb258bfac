import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { jobsToDispatch, markEnqueued } from '@talent/scheduling';
import { WORKER_CONFIG, type WorkerSettings } from '../worker-config.js';
import { WorkQueues } from './work-queues.js';

/** An enqueued job not done this long after its time is sent again (Redis lost it, or its run died). */
const STALE_AFTER_MS = 60_000;

/**
 * Copies scheduled jobs from PostgreSQL into BullMQ (delay = time left, job id = row id, so adding
 * twice is harmless), and removes jobs whose rows were cancelled. When Redis is down it simply
 * tries again on the next tick: the rows wait in PostgreSQL, nothing is lost.
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Dispatcher');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private lastCancelSweep = new Date(0).toISOString();
  failures = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: WorkQueues,
    @Inject(WORKER_CONFIG) private readonly settings: WorkerSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then(() => undefined)
        .catch((e: unknown) => {
          this.failures++;
          this.logger.warn(`dispatch failed, will retry: ${e instanceof Error ? e.message : String(e)}`);
        })
        .finally(() => this.schedule(this.settings.pollMs));
    }, ms);
  }

  /** One pass; returns how many jobs were handed to BullMQ. */
  async tick(now = new Date()): Promise<number> {
    let sent = 0;
    for (;;) {
      const due = await jobsToDispatch(this.dataSource, now.toISOString(), STALE_AFTER_MS, 200);
      if (due.length === 0) break;
      for (const job of due) {
        const queue = this.queues.get(job.queue);
        if (job.state === 'enqueued') await this.dropFinished(queue, job.jobId);
        await queue.add(job.name, job.data, {
          jobId: job.jobId,
          delay: Math.max(0, Date.parse(job.runAt) - now.getTime()),
          attempts: 8,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: true,
          removeOnFail: { age: 7 * 24 * 3600 },
        });
      }
      await markEnqueued(
        this.dataSource,
        due.map((j) => j.jobId),
      );
      sent += due.length;
      if (due.length < 200) break;
    }
    await this.removeCancelled();
    return sent;
  }

  /**
   * A stale row is re-sent under the same job id, and BullMQ ignores an id it still holds: a job it
   * already failed (stalled past its limit after crashes mid-run, or its last failure never reached
   * PostgreSQL) would block the re-send until BullMQ's 7-day cleanup. The row says the work is not
   * done, so the finished job goes and the row's job is added again.
   */
  private async dropFinished(queue: Queue, jobId: string): Promise<void> {
    const existing = await queue.getJob(jobId);
    if (!existing) return;
    const state = await existing.getState();
    if (state === 'failed' || state === 'completed') await existing.remove();
  }

  private async removeCancelled(): Promise<void> {
    const since = this.lastCancelSweep;
    this.lastCancelSweep = new Date().toISOString();
    const rows = await this.dataSource.query<Array<{ job_id: string; queue: string }>>(
      `SELECT job_id, queue FROM scheduled_jobs WHERE state = 'cancelled' AND updated_at >= $1::timestamptz - interval '5 seconds'`,
      [since],
    );
    for (const r of rows) await this.queues.get(r.queue).remove(r.job_id);
  }
}
