import { Injectable, Logger } from '@nestjs/common';
import { EventStore, uuidV5 } from '@talent/event-store';
import { planAndStore } from '@talent/notifications';
import { findJob, markDone } from '@talent/scheduling';
import { isDomainError, type CaseType } from '@talent/workflows';
import { CaseCommandService } from '../cases/case-command.service.js';
import { isCaseType } from '../cases/case-events.js';
import { EmployeeFactsWriter } from '../employees/record-facts/record-facts.handler.js';
import { FrameworkCatalogReader } from '../frameworks/framework-catalog.reader.js';
import type { WriteContext } from '../write-context.js';
import { CycleEligibilityService } from './cycle-eligibility.service.js';
import {
  JOB_NAMES,
  type CaseCommandJob,
  type CycleEligibilityJob,
  type OpenScheduledCycleJob,
  type RecordFactJob,
} from './jobs.js';

export type JobOutcome = { status: 'done' | 'skipped' | 'refused'; detail?: string };

/**
 * Runs one scheduled job as the system actor. Exactly-once effect: the job's id is the idempotency
 * key of the command it sends (a second run returns the original result and writes nothing), and a
 * job whose row is done or cancelled does nothing. A refusal by the case (it moved on) is an
 * outcome, not a failure: the machine accepts a timeout only if the case is still waiting.
 */
@Injectable()
export class ScheduledJobRunner {
  private readonly logger = new Logger('ScheduledJobRunner');

  constructor(
    private readonly store: EventStore,
    private readonly cases: CaseCommandService,
    private readonly facts: EmployeeFactsWriter,
    private readonly cycles: CycleEligibilityService,
    private readonly frameworks: FrameworkCatalogReader,
  ) {}

  async run(jobId: string, name: string, data: unknown, now: string): Promise<JobOutcome> {
    const row = await findJob(this.store.dataSource, jobId);
    if (row && (row.state === 'done' || row.state === 'cancelled'))
      return { status: 'skipped', detail: row.state };
    const ctx: WriteContext = {
      actor: { userId: 'system', roles: ['system'], team: null },
      now,
      requestId: `job-${jobId}`,
      idempotencyKey: jobId,
    };
    let outcome: JobOutcome;
    try {
      outcome = await this.execute(name, data, ctx, jobId);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      outcome = { status: 'refused', detail: e.message };
      this.logger.log(`job ${jobId} (${name}) refused: ${e.message}`);
    }
    if (row) await markDone(this.store.dataSource, jobId, `${outcome.status}: ${outcome.detail ?? ''}`);
    return outcome;
  }

  private async execute(name: string, data: unknown, ctx: WriteContext, jobId: string): Promise<JobOutcome> {
    switch (name) {
      case JOB_NAMES.caseTimer:
      case JOB_NAMES.caseCommand: {
        const job = data as CaseCommandJob;
        const r = await this.cases.execute({
          ...(job.caseType && isCaseType(job.caseType) ? { caseType: job.caseType } : {}),
          caseId: job.caseId,
          action: job.action,
          payload: job.payload,
          ctx,
        });
        return {
          status: 'done',
          detail: `${r.caseType} ${r.caseId} -> ${r.stage} (v${r.version}${r.duplicate ? ', duplicate' : ''})`,
        };
      }
      case JOB_NAMES.recordFact: {
        const job = data as RecordFactJob;
        const r = await this.facts.record(job.employeeId, [{ type: job.type, data: job.data }], ctx, jobId);
        return {
          status: 'done',
          detail: `employee ${job.employeeId} v${r.version}${r.duplicate ? ' (duplicate)' : ''}`,
        };
      }
      case JOB_NAMES.cycleEligibility: {
        const job = data as CycleEligibilityJob;
        const summary = await this.cycles.evaluate(job);
        await this.notifyManagers(job, summary.byManager, ctx);
        return {
          status: 'done',
          detail: `${summary.employees} employees, ${summary.eligible} eligible verdicts`,
        };
      }
      case JOB_NAMES.openScheduledCycle:
        return this.openScheduledCycle(data as OpenScheduledCycleJob, ctx);
      default:
        throw new Error(`no handler for job '${name}'`);
    }
  }

  /** One digest per manager: which reports are eligible now, which are one requirement away. */
  private async notifyManagers(
    job: CycleEligibilityJob,
    byManager: Record<string, { eligible: string[]; close: string[] }>,
    ctx: WriteContext,
  ) {
    for (const [managerId, digest] of Object.entries(byManager)) {
      if (digest.eligible.length === 0 && digest.close.length === 0) continue;
      await this.store.dataSource.transaction(async (tx) => {
        await planAndStore(
          tx,
          {
            eventId: uuidV5(`digest|${job.cycleId}|${managerId}`),
            streamId: job.cycleId,
            streamType: 'reviewCycle',
            streamVersion: 0,
            type: 'EligibilityDigest',
            payload: {
              cycleId: job.cycleId,
              managerId,
              eligibleEmployeeIds: digest.eligible,
              closeEmployeeIds: digest.close,
            },
            metadata: {
              actorId: 'system',
              actorRole: 'system',
              occurredAt: ctx.now,
              correlationId: ctx.requestId,
              causationId: ctx.requestId,
            },
          },
          [{ userId: managerId, reason: 'must_act' }],
        );
      });
    }
  }

  /**
   * A framework's cadence says a cycle opens now: create it (its id derived from framework and day,
   * so several workers or a retried job create one cycle) and open it.
   */
  private async openScheduledCycle(job: OpenScheduledCycleJob, ctx: WriteContext): Promise<JobOutcome> {
    const { document, version } = await this.frameworks.get(job.frameworkId);
    const day = ctx.now.slice(0, 10);
    const caseId = uuidV5(`case|scheduled-cycle|${job.frameworkId}|${day}`);
    const addDays = (n: number) => new Date(Date.parse(ctx.now) + n * 86_400_000).toISOString();
    const created = await this.cases.execute({
      caseType: 'reviewCycle' satisfies CaseType,
      caseId,
      action: 'create',
      payload: {
        name: `${document.name} review ${day}`,
        frameworkId: job.frameworkId,
        frameworkVersion: version,
        timeZone: document.reviewCadence?.timeZone ?? 'UTC',
        nominationDeadline: addDays(14),
        calibrationDeadline: addDays(28),
      },
      ctx: { ...ctx, idempotencyKey: `scheduled-cycle-${job.frameworkId}-${day}-create` },
    });
    const opened = await this.cases.execute({
      caseId,
      action: 'open',
      payload: {},
      ctx: { ...ctx, idempotencyKey: `scheduled-cycle-${job.frameworkId}-${day}-open` },
    });
    return { status: 'done', detail: `cycle ${created.caseId} ${opened.stage}` };
  }
}
