import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { ReviewCadence } from '@talent/career-framework';
import {
  FrameworkCatalogReader,
  JOB_NAMES,
  WORK_QUEUES,
  type OpenScheduledCycleJob,
} from '@talent/use-cases';
import { WorkQueues } from './work-queues.js';

/** The cron pattern of a framework's review cadence (minute hour day months), read in its time zone. */
export function cadencePattern(cadence: Pick<ReviewCadence, 'months' | 'day' | 'time'>): string {
  const [hour, minute] = cadence.time.split(':').map(Number);
  return `${minute ?? 0} ${hour ?? 9} ${cadence.day} ${[...cadence.months].sort((a, b) => a - b).join(',')} *`;
}

export const cycleSchedulerId = (frameworkId: string) => `cycle-open-${frameworkId}`;

/**
 * Registers one BullMQ job scheduler per framework (upsert: the same id from every worker is one
 * scheduler, so a slot produces one job however many workers run). Re-synced periodically so a
 * newly published framework version, or a Redis that was down at start, is picked up.
 */
@Injectable()
export class CycleSchedules implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CycleSchedules');
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly frameworks: FrameworkCatalogReader,
    private readonly queues: WorkQueues,
  ) {}

  onApplicationBootstrap(): void {
    const run = (): void => {
      this.sync()
        .catch((e: unknown) =>
          this.logger.warn(`schedule sync failed, will retry: ${e instanceof Error ? e.message : String(e)}`),
        )
        .finally(() => {
          if (this.stopped) return;
          this.timer = setTimeout(run, 60_000);
          this.timer.unref();
        });
    };
    run();
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Upserts the schedulers; `pattern` overrides every cadence (tests use a seconds pattern). */
  async sync(override?: { pattern: string; tz?: string }): Promise<string[]> {
    const catalog = await this.frameworks.load();
    const ids: string[] = [];
    for (const entry of Object.values(catalog.frameworks)) {
      const doc = entry.versions.find((v) => v.version === entry.currentVersion)?.document;
      if (!doc?.reviewCadence) continue;
      const pattern = override?.pattern ?? cadencePattern(doc.reviewCadence);
      const tz = override?.tz ?? doc.reviewCadence.timeZone;
      const data: OpenScheduledCycleJob = { frameworkId: entry.frameworkId };
      await this.queues.get(WORK_QUEUES.schedules).upsertJobScheduler(
        cycleSchedulerId(entry.frameworkId),
        { pattern, tz },
        {
          name: JOB_NAMES.openScheduledCycle,
          data,
          opts: {
            attempts: 5,
            backoff: { type: 'exponential', delay: 1000 },
            removeOnComplete: 100,
            removeOnFail: 100,
          },
        },
      );
      ids.push(cycleSchedulerId(entry.frameworkId));
    }
    return ids;
  }
}
