import { Controller, Get, Header } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore } from '@talent/event-store';
import { jobCounts } from '@talent/scheduling';
import { Public } from '@talent/infrastructure';
import { Processors } from '../queues/processors.js';
import { WorkQueues } from '../queues/work-queues.js';
import { CommittedEventCounter } from '../subscriptions/event-bus.bridge.js';

/** Prometheus text metrics: queue depth, scheduled-job states, subscription lag, parked events, failures. */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly queues: WorkQueues,
    private readonly processors: Processors,
    private readonly counter: CommittedEventCounter,
  ) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async metrics(): Promise<string> {
    const lines: string[] = [];
    const add = (name: string, labels: Record<string, string>, value: number) =>
      lines.push(
        `${name}{${Object.entries(labels)
          .map(([k, v]) => `${k}="${v.replace(/"/g, '')}"`)
          .join(',')}} ${value}`,
      );
    for (const q of this.queues.all()) {
      try {
        const counts = await q.getJobCounts('waiting', 'delayed', 'active', 'failed', 'completed');
        for (const [state, n] of Object.entries(counts))
          add('talent_queue_jobs', { queue: q.name, state }, n);
      } catch {
        add('talent_queue_unreachable', { queue: q.name }, 1);
      }
    }
    for (const [state, n] of Object.entries(await jobCounts(this.dataSource)))
      add('talent_scheduled_jobs', { state }, n);
    const subs = await this.dataSource.query<Array<{ name: string; tx_id: string; position: string }>>(
      'SELECT name, tx_id::text, position::text FROM subscription_checkpoints',
    );
    for (const s of subs)
      add(
        'talent_subscription_lag_events',
        { subscription: s.name },
        await this.store.countAfter({ txId: s.tx_id, position: s.position }),
      );
    const parked = await this.dataSource.query<Array<{ subscription: string; n: number }>>(
      'SELECT subscription, count(*)::int AS n FROM parked_events WHERE replayed_at IS NULL GROUP BY subscription',
    );
    for (const p of parked) add('talent_parked_events', { subscription: p.subscription }, p.n);
    for (const [queue, n] of this.processors.completed) add('talent_jobs_completed_total', { queue }, n);
    for (const [queue, n] of this.processors.failed) add('talent_jobs_failed_total', { queue }, n);
    for (const [type, n] of this.counter.byType) add('talent_committed_events_total', { type }, n);
    return `${lines.join('\n')}\n`;
  }
}
