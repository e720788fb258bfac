import { Body, Controller, Get, HttpCode, Logger, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  DecideCalibrationBatchCommand,
  GetCalibrationQuery,
  MAX_CALIBRATION_BATCH,
  type CalibrationDecision,
} from '@talent/use-cases';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/actor.js';
import { toProblem } from '../http/problem.filter.js';
import { etag, Write, type WriteRequest } from '../http/write-request.js';

const cycleId = z.uuid({ error: 'a cycle id is a UUID returned when the cycle was created' });
const decision = z
  .object({
    caseId: z.uuid({ error: 'caseId is the UUID of a promotion case of this cycle' }),
    decision: z.enum(['approve', 'deny']),
    effectiveDate: z.iso
      .datetime({ offset: true, error: 'effectiveDate must be an ISO instant such as 2026-04-01T00:00:00Z' })
      .optional(),
    note: z.string().max(4000).optional(),
  })
  .strict()
  .refine((d) => d.decision !== 'approve' || d.effectiveDate !== undefined, {
    message: 'an approval needs its effectiveDate',
    path: ['effectiveDate'],
  });
const batch = z
  .object({
    decisions: z.array(decision).min(1).max(MAX_CALIBRATION_BATCH),
    reason: z.string().max(2000).optional(),
  })
  .strict()
  .refine((b) => new Set(b.decisions.map((d) => d.caseId)).size === b.decisions.length, {
    message: 'each case may appear once in a batch',
    path: ['decisions'],
  });

@ApiTags('calibration')
@ApiBearerAuth()
@Controller('cycles/:cycleId')
export class CalibrationController {
  private readonly logger = new Logger('CalibrationController');

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('calibration')
  @ApiOperation({
    summary:
      "A cycle's promotion cases with their evidence: stage, employee, target, eligibility today (under the case's framework version), peer review, recommendation, waivers (HR, leadership, auditors)",
  })
  calibration(@Param('cycleId') id: string, @CurrentActor() actor: Actor) {
    return this.queries.execute(new GetCalibrationQuery(cycleId.parse(id), actor, new Date().toISOString()));
  }

  @Post('decisions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Decide promotions of the cycle in a batch (HR)',
    description:
      'Body: {decisions: [{caseId, decision: approve|deny, effectiveDate? (required to approve), note?}], reason?} (at most ' +
      `${MAX_CALIBRATION_BATCH}). Each decision is applied on its own, in order; the response gives each its status ` +
      '(200, or 403/404/409/422... with code and message). A malformed batch is a 400 and decides nothing. ' +
      'Decisions are possible only while the cycle is open for nominations or in calibration.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retrying the batch decides nothing twice',
  })
  @ApiBody({ schema: { type: 'object' } })
  async decide(@Param('cycleId') id: string, @Body() body: unknown, @Write() w: WriteRequest) {
    const cycle = cycleId.parse(id);
    const b = batch.parse(body);
    const decisions: CalibrationDecision[] = b.decisions.map((d) => ({
      caseId: d.caseId,
      decision: d.decision,
      ...(d.effectiveDate !== undefined ? { effectiveDate: d.effectiveDate } : {}),
      ...(d.note !== undefined ? { note: d.note } : {}),
    }));
    const ctx = b.reason ? { ...w, reason: b.reason } : w;
    const outcomes = await this.commands.execute(new DecideCalibrationBatchCommand(cycle, decisions, ctx));
    const results = outcomes.map((o) => {
      if (o.ok) {
        return {
          caseId: o.caseId,
          decision: o.decision,
          status: 200,
          stage: o.result.stage,
          version: o.result.version,
          etag: etag(o.result.version),
          duplicate: o.result.duplicate,
        };
      }
      const p = toProblem(o.error);
      if (p.statusCode >= 500) {
        this.logger.error(o.error instanceof Error ? (o.error.stack ?? o.error.message) : String(o.error));
      }
      return {
        caseId: o.caseId,
        decision: o.decision,
        status: p.statusCode,
        code: p.code,
        message: p.message,
        ...(p.details !== undefined ? { details: p.details } : {}),
      };
    });
    const decided = results.filter((r) => r.status === 200).length;
    return { cycleId: cycle, decided, refused: results.length - decided, results };
  }
}
