import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '@talent/event-store';
import { findCase } from '@talent/read-models';
import { ForbiddenError, InvalidInputError, NotFoundError } from '@talent/workflows';
import { CaseCommandService, type CaseCommandResult } from '../../cases/case-command.service.js';
import type { WriteContext } from '../../write-context.js';

export const MAX_CALIBRATION_BATCH = 200;

export interface CalibrationDecision {
  caseId: string;
  decision: 'approve' | 'deny';
  /** Required to approve: when the promotion takes effect (ISO instant). */
  effectiveDate?: string;
  note?: string;
}

/** One decision's outcome: its result, or the error that refused it (mapped to HTTP at the edge). */
export type CalibrationDecisionOutcome =
  | { caseId: string; decision: CalibrationDecision['decision']; ok: true; result: CaseCommandResult }
  | { caseId: string; decision: CalibrationDecision['decision']; ok: false; error: unknown };

/**
 * HR decides a batch of promotions of one review cycle. Each decision is its own command (its own
 * transaction, through the case's machine and the cycle check): one refused decision leaves the
 * others standing. The batch's shape is checked first; a malformed batch writes nothing.
 */
export class DecideCalibrationBatchCommand extends Command<CalibrationDecisionOutcome[]> {
  constructor(
    readonly cycleId: string,
    readonly decisions: readonly CalibrationDecision[],
    readonly ctx: WriteContext,
  ) {
    super();
  }
}

/** The promotion case must belong to the cycle the batch is for. */
export class NotInCycleError extends NotFoundError {
  constructor(caseId: string, cycleId: string) {
    super(`promotion case of review cycle ${cycleId}`, caseId, 'NOT_IN_CYCLE');
  }
}

@CommandHandler(DecideCalibrationBatchCommand)
export class DecideCalibrationBatchHandler implements ICommandHandler<
  DecideCalibrationBatchCommand,
  CalibrationDecisionOutcome[]
> {
  constructor(
    private readonly store: EventStore,
    private readonly cases: CaseCommandService,
  ) {}

  async execute({
    cycleId,
    decisions,
    ctx,
  }: DecideCalibrationBatchCommand): Promise<CalibrationDecisionOutcome[]> {
    if (!ctx.actor.roles.includes('hr'))
      throw new ForbiddenError('only HR decides promotions in calibration');
    if (decisions.length === 0 || decisions.length > MAX_CALIBRATION_BATCH) {
      throw new InvalidInputError(`send between 1 and ${MAX_CALIBRATION_BATCH} decisions`);
    }
    const cycle = await findCase(this.store.dataSource, cycleId);
    if (!cycle || cycle.caseType !== 'reviewCycle') throw new NotFoundError('review cycle', cycleId);
    const outcomes: CalibrationDecisionOutcome[] = [];
    for (const d of decisions) {
      try {
        const row = await findCase(this.store.dataSource, d.caseId);
        if (!row || row.caseType !== 'promotion' || row.cycleId !== cycleId) {
          throw new NotInCycleError(d.caseId, cycleId);
        }
        const payload: Record<string, unknown> =
          d.decision === 'approve' ? { effectiveDate: d.effectiveDate } : {};
        if (d.note !== undefined) payload.note = d.note;
        const { expectedVersion: _batchHasNoVersion, ...itemCtx } = ctx;
        const result = await this.cases.execute({
          caseId: d.caseId,
          action: d.decision,
          payload,
          ctx: itemCtx,
        });
        outcomes.push({ caseId: d.caseId, decision: d.decision, ok: true, result });
      } catch (error) {
        outcomes.push({ caseId: d.caseId, decision: d.decision, ok: false, error });
      }
    }
    return outcomes;
  }
}
