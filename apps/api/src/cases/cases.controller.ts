import { Body, Controller, Get, HttpCode, Param, Post, Query as Q, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import {
  ActOnCaseCommand,
  GetCaseQuery,
  ListCasesQuery,
  OpenCaseCommand,
  type CaseCommandResult,
} from '@talent/use-cases';
import { AGGREGATES, CASE_TYPES, type CaseType } from '@talent/workflows';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/actor.js';
import { etag, Write, type WriteRequest } from '../http/write-request.js';

const ALL_ACTIONS = [...new Set(Object.values(AGGREGATES).flatMap((a) => a.actions))].sort();
const caseId = z.uuid({ error: 'a case id is a UUID returned when the case was opened' });
const action = z
  .string()
  .regex(/^[a-zA-Z]{1,64}$/, 'an action is a name such as approve, withdraw or recordPeerReview')
  .refine((a) => ALL_ACTIONS.includes(a), {
    message: `unknown action; actions are: ${ALL_ACTIONS.join(', ')}`,
  });
const body = z.record(z.string(), z.unknown(), { error: 'the body must be a JSON object' });
const listQuery = z
  .object({
    type: z.enum(CASE_TYPES).optional(),
    stage: z.string().max(64).optional(),
    employee: z.string().max(128).optional(),
    team: z.string().max(128).optional(),
    cycle: z.string().max(128).optional(),
    waitingOnMe: z.enum(['true', 'false']).optional(),
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
const asOf = z.iso
  .datetime({ offset: true, error: 'asOf must be an ISO instant such as 2026-03-01T00:00:00Z' })
  .optional();

/** Splits the optional human reason from the action payload. */
function split(
  raw: unknown,
  w: WriteRequest,
): { payload: Record<string, unknown>; ctx: WriteRequest & { reason?: string } } {
  const { reason, ...payload } = body.parse(raw ?? {});
  const r = z.string().max(2000, 'reason is at most 2000 characters').optional().parse(reason);
  return { payload, ctx: r ? { ...w, reason: r } : w };
}

function respond(res: Response, r: CaseCommandResult): CaseCommandResult {
  res.setHeader('ETag', etag(r.version));
  res.setHeader('Location', `/cases/${r.caseId}`);
  return r;
}

const CREATE_DOC = {
  promotion:
    'Request an advancement review (employee for themselves when eligible, or their manager). Body: employeeId, targetRoleId, openingId? (management/alternative paths), cycleId?, justification?',
  designation:
    'Nominate a senior IC for the team-lead designation (their manager). Body: employeeId, designationId, justification?',
  opening:
    'Draft a documented need (role opening) for a team. Body: team, roleId, frameworkId, justification',
  transfer: 'Request a cross-team transfer (the employee). Body: employeeId, toTeam, motivation?',
  waiver:
    'Request a waiver of named requirements of a case, stating the urgent need. Body: subjectCaseId, requirementIds, urgentNeed',
  reviewCycle:
    'Create a review cycle (HR). Body: name, frameworkId, timeZone?, opensAt?, nominationDeadline, calibrationDeadline',
} as const;

@ApiTags('cases')
@ApiBearerAuth()
@ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'The ETag (stream version) you last saw; 412 if the case moved on',
})
@ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: 'Retries with the same key return the original result',
})
@Controller()
export class CasesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private open(type: CaseType, creation: string, raw: unknown, w: WriteRequest, res: Response) {
    const { payload, ctx } = split(raw, w);
    return this.commands
      .execute(new OpenCaseCommand(type, creation, payload, ctx))
      .then((r) => respond(res, r));
  }

  @Post('cases/promotions')
  @ApiOperation({ summary: 'Open a promotion case', description: CREATE_DOC.promotion })
  @ApiBody({ schema: { type: 'object' } })
  promotion(@Body() raw: unknown, @Write() w: WriteRequest, @Res({ passthrough: true }) res: Response) {
    return this.open('promotion', 'request', raw, w, res);
  }

  @Post('cases/team-lead-designations')
  @ApiOperation({ summary: 'Open a team-lead designation case', description: CREATE_DOC.designation })
  @ApiBody({ schema: { type: 'object' } })
  designation(@Body() raw: unknown, @Write() w: WriteRequest, @Res({ passthrough: true }) res: Response) {
    return this.open('designation', 'nominate', raw, w, res);
  }

  @Post('openings')
  @ApiOperation({ summary: 'Draft a role opening (documented need)', description: CREATE_DOC.opening })
  @ApiBody({ schema: { type: 'object' } })
  opening(@Body() raw: unknown, @Write() w: WriteRequest, @Res({ passthrough: true }) res: Response) {
    return this.open('opening', 'draft', raw, w, res);
  }

  @Post('cases/transfers')
  @ApiOperation({ summary: 'Request a cross-team transfer', description: CREATE_DOC.transfer })
  @ApiBody({ schema: { type: 'object' } })
  transfer(@Body() raw: unknown, @Write() w: WriteRequest, @Res({ passthrough: true }) res: Response) {
    return this.open('transfer', 'request', raw, w, res);
  }

  @Post('waivers')
  @ApiOperation({ summary: 'Request a requirement waiver', description: CREATE_DOC.waiver })
  @ApiBody({ schema: { type: 'object' } })
  waiver(@Body() raw: unknown, @Write() w: WriteRequest, @Res({ passthrough: true }) res: Response) {
    return this.open('waiver', 'request', raw, w, res);
  }

  @Post('cycles')
  @ApiOperation({ summary: 'Create a review cycle', description: CREATE_DOC.reviewCycle })
  @ApiBody({ schema: { type: 'object' } })
  cycle(@Body() raw: unknown, @Write() w: WriteRequest, @Res({ passthrough: true }) res: Response) {
    return this.open('reviewCycle', 'create', raw, w, res);
  }

  @Post('cases/:caseId/actions/:action')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a case with one of its actions',
    description:
      'GET /cases/{id} lists the actions you may take now. 409 when the stage does not allow the action, 403 when your role or relationship does not, 422 when a requirement is unmet, 412 on a stale If-Match.',
  })
  @ApiParam({ name: 'action', enum: ALL_ACTIONS })
  @ApiBody({ schema: { type: 'object', description: 'The action payload, plus an optional "reason"' } })
  act(
    @Param('caseId') id: string,
    @Param('action') name: string,
    @Body() raw: unknown,
    @Write() w: WriteRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { payload, ctx } = split(raw, w);
    return this.commands
      .execute(new ActOnCaseCommand(caseId.parse(id), action.parse(name), payload, ctx))
      .then((r) => respond(res, r));
  }

  @Get('cases/:caseId')
  @ApiOperation({
    summary: 'A case: stage, state and the actions you may take now (or as recorded at ?asOf=instant)',
  })
  @ApiQuery({ name: 'asOf', required: false })
  async get(
    @Param('caseId') id: string,
    @Q('asOf') when: unknown,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.queries.execute(new GetCaseQuery(caseId.parse(id), actor, asOf.parse(when)));
    res.setHeader('ETag', etag(view.version));
    return view;
  }

  @Get('openings/:caseId')
  @ApiOperation({ summary: 'A role opening (same as GET /cases/{id})' })
  getOpening(
    @Param('caseId') id: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.get(id, undefined, actor, res);
  }

  @Get('cases')
  @ApiOperation({
    summary:
      'Cases you may see, filtered by type, stage, employee, team, cycle, or waiting on you; newest first, cursor-paged',
  })
  @ApiQuery({ name: 'type', required: false, enum: CASE_TYPES })
  @ApiQuery({ name: 'stage', required: false })
  @ApiQuery({ name: 'employee', required: false })
  @ApiQuery({ name: 'team', required: false })
  @ApiQuery({ name: 'cycle', required: false })
  @ApiQuery({ name: 'waitingOnMe', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  list(@Q() query: unknown, @CurrentActor() actor: Actor) {
    const q = listQuery.parse(query);
    return this.queries.execute(
      new ListCasesQuery(
        {
          ...(q.type ? { caseType: q.type } : {}),
          ...(q.stage ? { stage: q.stage } : {}),
          ...(q.employee ? { employeeId: q.employee } : {}),
          ...(q.team ? { team: q.team } : {}),
          ...(q.cycle ? { cycleId: q.cycle } : {}),
          ...(q.waitingOnMe === 'true' ? { waitingOnMe: true } : {}),
          ...(q.cursor ? { cursor: q.cursor } : {}),
          limit: q.limit,
        },
        actor,
      ),
    );
  }
}
