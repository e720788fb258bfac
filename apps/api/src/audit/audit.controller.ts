import { pipeline } from 'node:stream/promises';
import { Controller, Get, Logger, Param, Query as Q, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import type { ExportQuery } from '@talent/audit';
import {
  ExportAuditQuery,
  GetActorActivityQuery,
  GetApprovalsQuery,
  GetCaseAsOfQuery,
  GetCaseHistoryQuery,
  GetEmployeeAsOfQuery,
  GetEmployeeTimelineQuery,
  GetWaiversGrantedQuery,
  VerifyAuditChainsQuery,
  type PageRequest,
} from '@talent/use-cases';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/actor.js';
import {
  APPROVAL,
  AUDIT_EVENT,
  CASE_AS_OF,
  EMPLOYEE_AS_OF,
  pageOf as pageSchema,
  VERIFICATION,
  WAIVER_COUNTS,
  WAIVER_GRANT,
} from './audit.schemas.js';

const caseId = z.uuid({ error: 'a case id is a UUID returned when the case was opened' });
const personId = z
  .string()
  .regex(/^[A-Za-z0-9._@-]{1,128}$/, 'an id is 1-128 letters, digits, ".", "_", "@" or "-"');
/** PostgreSQL's timestamptz has no year 0: instants are kept to years 1..9999 (in UTC). */
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');
const instant = (name: string) =>
  z.iso
    .datetime({
      offset: true,
      error: `${name} must be an ISO-8601 instant with an offset, such as 2026-03-01T00:00:00Z`,
    })
    .refine(
      (v) => {
        const t = Date.parse(v);
        return Number.isFinite(t) && t >= EARLIEST && t <= LATEST;
      },
      { message: `${name} must be an instant between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z` },
    );
const page = {
  cursor: z.string().min(1).max(1024).optional(),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit is at least 1')
    .max(500, 'limit is at most 500')
    .optional(),
};
const pageQuery = z.object(page).strict();
const optionalPeriodQuery = z
  .object({ from: instant('from').optional(), to: instant('to').optional(), ...page })
  .strict();
const periodQuery = z
  .object({
    from: instant('from'),
    to: instant('to'),
    ...page,
  })
  .strict();
const approvalsQuery = periodQuery.extend({ approver: personId.optional() }).strict();
const asOfQuery = z
  .object({
    asOf: instant('asOf'),
    basis: z
      .enum(['recorded', 'occurred'], {
        error: 'basis is "recorded" (what the engine knew then, the default) or "occurred"',
      })
      .optional(),
  })
  .strict();
const EXPORT_KINDS = [
  'caseHistory',
  'employeeTimeline',
  'actorActivity',
  'approvals',
  'waivers',
  'period',
  'stream',
] as const;
const exportQuery = z
  .object({
    query: z.enum(EXPORT_KINDS, { error: `query is one of ${EXPORT_KINDS.join(', ')}` }),
    format: z.enum(['csv', 'ndjson'], { error: 'format is csv or ndjson' }).default('ndjson'),
    caseId: caseId.optional(),
    employeeId: personId.optional(),
    actorId: personId.optional(),
    approver: personId.optional(),
    streamId: z.string().min(1).max(200).optional(),
    from: instant('from').optional(),
    to: instant('to').optional(),
  })
  .strict();
const verifyQuery = z.object({ streamId: z.string().min(1).max(200).optional() }).strict();

function pageOf(q: { cursor?: string | undefined; limit?: number | undefined }): PageRequest {
  return { ...(q.cursor ? { after: q.cursor } : {}), ...(q.limit !== undefined ? { limit: q.limit } : {}) };
}

function required<T>(value: T | undefined, name: string, kind: string): T {
  if (value === undefined) {
    throw new z.ZodError([
      { code: 'custom', path: [name], message: `${name} is required for query=${kind}`, input: undefined },
    ]);
  }
  return value;
}

/** The export query a request names, with the parameters its kind needs. */
function toExportQuery(q: z.infer<typeof exportQuery>): ExportQuery {
  const k = q.query;
  switch (k) {
    case 'caseHistory':
      return { kind: 'caseHistory', caseId: required(q.caseId, 'caseId', k) };
    case 'employeeTimeline':
      return {
        kind: 'employeeTimeline',
        employeeId: required(q.employeeId, 'employeeId', k),
        ...(q.from ? { from: q.from } : {}),
        ...(q.to ? { to: q.to } : {}),
      };
    case 'actorActivity':
      return {
        kind: 'actorActivity',
        actorId: required(q.actorId, 'actorId', k),
        from: required(q.from, 'from', k),
        to: required(q.to, 'to', k),
      };
    case 'approvals':
      return {
        kind: 'approvals',
        from: required(q.from, 'from', k),
        to: required(q.to, 'to', k),
        ...(q.approver ? { approverId: q.approver } : {}),
      };
    case 'waivers':
      return { kind: 'waiversGranted', from: required(q.from, 'from', k), to: required(q.to, 'to', k) };
    case 'period':
      return { kind: 'period', from: required(q.from, 'from', k), to: required(q.to, 'to', k) };
    case 'stream':
      return { kind: 'stream', streamId: required(q.streamId, 'streamId', k) };
  }
}

const PAGED =
  "Cursor-paged: pass the response's nextCursor as ?cursor= to read the next page (null on the last); limit 1-500 (default 100). " +
  'Each item: position, streamId, version, type, actorId and actorRole (who), occurredAt and recordedAt (when), reason (why), payload (what), prevHash and hash (proof).';
const PERIOD = 'Periods are half-open [from, to), ISO-8601 instants with an offset.';

@ApiTags('audit')
@ApiBearerAuth()
@ApiResponse({ status: 400, description: 'Bad dates, reversed period, bad cursor or unknown parameter' })
@ApiResponse({ status: 403, description: 'You may not read this part of the audit trail' })
@Controller()
export class AuditController {
  private readonly logger = new Logger('AuditController');

  constructor(private readonly queries: QueryBus) {}

  @Get('audit/cases/:caseId/history')
  @ApiOperation({
    summary: "A case's full history: every event with who, when, why and what changed",
    description: `Readable by whoever may read the case (its employee, their manager, their team's leadership, HR, auditors). ${PAGED}`,
  })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiOkResponse({ schema: pageSchema(AUDIT_EVENT) })
  caseHistory(@Param('caseId') id: string, @Q() query: unknown, @CurrentActor() actor: Actor) {
    const q = pageQuery.parse(query);
    return this.queries.execute(new GetCaseHistoryQuery(caseId.parse(id), pageOf(q), actor));
  }

  @Get('audit/cases/:caseId')
  @ApiOperation({
    summary:
      'A case as of a past instant: state, stage and eligibility verdicts as the engine showed them then',
    description:
      'Rebuilt from the log: events recorded at or before asOf (basis=recorded, the default: what the engine knew then) ' +
      'or that occurred by then (basis=occurred). recordedEligibility is the verdict on the case then; eligibility is ' +
      'evaluated from the facts, openings and waivers known then, with the framework version the case was opened under, ' +
      "as of the instant's date. 404 when the case did not exist yet.",
  })
  @ApiQuery({ name: 'asOf', required: true, example: '2026-03-01T12:00:00Z' })
  @ApiQuery({ name: 'basis', required: false, enum: ['recorded', 'occurred'] })
  @ApiOkResponse({ schema: CASE_AS_OF })
  caseAsOf(@Param('caseId') id: string, @Q() query: unknown, @CurrentActor() actor: Actor) {
    const q = asOfQuery.parse(query);
    return this.queries.execute(new GetCaseAsOfQuery(caseId.parse(id), q.asOf, actor, q.basis));
  }

  @Get('cases/:caseId/as-of/:instant')
  @ApiOperation({ summary: 'Same as GET /audit/cases/{caseId}?asOf={instant}' })
  @ApiParam({ name: 'instant', example: '2026-03-01T12:00:00Z' })
  @ApiOkResponse({ schema: CASE_AS_OF })
  caseAsOfPath(@Param('caseId') id: string, @Param('instant') at: string, @CurrentActor() actor: Actor) {
    const q = asOfQuery.parse({ asOf: at });
    return this.queries.execute(new GetCaseAsOfQuery(caseId.parse(id), q.asOf, actor));
  }

  @Get('audit/employees/:employeeId/timeline')
  @ApiOperation({
    summary: "An employee's timeline: their facts and every case about them, in log order",
    description: `The employee reads their own; their manager, their team's leadership, HR and auditors read it too. Optional [from, to) on occurrence time. ${PAGED}`,
  })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiOkResponse({ schema: pageSchema(AUDIT_EVENT) })
  timeline(@Param('employeeId') id: string, @Q() query: unknown, @CurrentActor() actor: Actor) {
    const q = optionalPeriodQuery.parse(query);
    const period = { ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) };
    return this.queries.execute(new GetEmployeeTimelineQuery(personId.parse(id), period, pageOf(q), actor));
  }

  @Get('audit/employees/:employeeId')
  @ApiOperation({
    summary:
      'An employee as of a past instant: their record, framework version, next-role verdicts and cases then',
    description:
      "Facts recorded at or before asOf (basis=recorded, default) folded as of the instant's date; eligibility for every next role with the framework version current then, the openings open then and the waivers granted by then.",
  })
  @ApiQuery({ name: 'asOf', required: true, example: '2026-03-01T12:00:00Z' })
  @ApiQuery({ name: 'basis', required: false, enum: ['recorded', 'occurred'] })
  @ApiOkResponse({ schema: EMPLOYEE_AS_OF })
  employeeAsOf(@Param('employeeId') id: string, @Q() query: unknown, @CurrentActor() actor: Actor) {
    const q = asOfQuery.parse(query);
    return this.queries.execute(new GetEmployeeAsOfQuery(personId.parse(id), q.asOf, actor, q.basis));
  }

  @Get('audit/actors/:actorId/activity')
  @ApiOperation({
    summary: 'Everything one person (or "system") did in a period, by occurrence time',
    description: `HR and auditors read anyone's; you read your own; a manager or leader reads what their reports did. ${PERIOD} ${PAGED}`,
  })
  @ApiQuery({ name: 'from', required: true })
  @ApiQuery({ name: 'to', required: true })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiOkResponse({ schema: pageSchema(AUDIT_EVENT) })
  activity(@Param('actorId') id: string, @Q() query: unknown, @CurrentActor() actor: Actor) {
    const q = periodQuery.parse(query);
    return this.queries.execute(
      new GetActorActivityQuery(personId.parse(id), { from: q.from, to: q.to }, pageOf(q), actor),
    );
  }

  @Get('audit/approvals')
  @ApiOperation({
    summary: 'Who approved, granted, denied or rejected what, and when (per period, optionally per approver)',
    description: `Each item has outcome approve|deny. HR and auditors read all; anyone else reads their own with approver=<their id>. ${PERIOD} ${PAGED}`,
  })
  @ApiQuery({ name: 'from', required: true })
  @ApiQuery({ name: 'to', required: true })
  @ApiQuery({ name: 'approver', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiOkResponse({ schema: pageSchema(APPROVAL) })
  approvals(@Q() query: unknown, @CurrentActor() actor: Actor) {
    const q = approvalsQuery.parse(query);
    return this.queries.execute(
      new GetApprovalsQuery(
        { from: q.from, to: q.to, ...(q.approver ? { approverId: q.approver } : {}) },
        pageOf(q),
        actor,
      ),
    );
  }

  @Get('audit/waivers')
  @ApiOperation({
    summary: 'Waivers granted in a period, with the total and the count per requirement',
    description: `HR and auditors. Items carry requirementIds; byRequirement counts the whole period. ${PERIOD} ${PAGED}`,
  })
  @ApiQuery({ name: 'from', required: true })
  @ApiQuery({ name: 'to', required: true })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiOkResponse({ schema: pageSchema(WAIVER_GRANT, WAIVER_COUNTS) })
  waivers(@Q() query: unknown, @CurrentActor() actor: Actor) {
    const q = periodQuery.parse(query);
    return this.queries.execute(new GetWaiversGrantedQuery({ from: q.from, to: q.to }, pageOf(q), actor));
  }

  @Get('audit/export')
  @ApiOperation({
    summary: 'Export any audit query as CSV or NDJSON, streamed',
    description:
      'query=caseHistory (caseId) | employeeTimeline (employeeId, from?, to?) | actorActivity (actorId, from, to) | ' +
      'approvals (from, to, approver?) | waivers (from, to) | period (from, to; HR/auditors) | stream (streamId; HR/auditors). ' +
      'One consistent snapshot, produced a page at a time. Every row carries stream_id, version, prev_hash and hash and the ' +
      'exact stored payload/metadata, so `npm run audit:verify-export -- file.ndjson` (or verifyExport) recomputes the chains offline.',
  })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiQuery({ name: 'query', required: true, enum: EXPORT_KINDS })
  @ApiQuery({ name: 'format', required: false, enum: ['csv', 'ndjson'] })
  @ApiQuery({ name: 'caseId', required: false })
  @ApiQuery({ name: 'employeeId', required: false })
  @ApiQuery({ name: 'actorId', required: false })
  @ApiQuery({ name: 'approver', required: false })
  @ApiQuery({ name: 'streamId', required: false })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiOkResponse({
    description:
      'CSV (header row, CRLF) or NDJSON; columns: position, event_id, stream_id, stream_type, version, type, schema_version, actor_id, actor_role, reason, occurred_at, recorded_at, payload, metadata, prev_hash, hash',
  })
  async export(@Q() query: unknown, @CurrentActor() actor: Actor, @Res() res: Response): Promise<void> {
    const q = exportQuery.parse(query);
    const out = await this.queries.execute(new ExportAuditQuery(toExportQuery(q), q.format, actor));
    res.status(200);
    res.setHeader('Content-Type', out.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${out.filename}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      await pipeline(out.stream, res);
    } catch (e) {
      // headers are sent: the client sees a truncated body (no final newline); nothing else to do
      this.logger.warn(`export ended early: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  @Get('audit/verify')
  @ApiOperation({
    summary: 'Walk the hash chains of every stream (or ?streamId=) and report the first broken link',
    description:
      'HR and auditors. ok=false with firstBroken {streamId, version, reason} when a stored event was altered, removed or reordered.',
  })
  @ApiQuery({ name: 'streamId', required: false })
  @ApiOkResponse({ schema: VERIFICATION })
  verify(@Q() query: unknown, @CurrentActor() actor: Actor) {
    const q = verifyQuery.parse(query);
    return this.queries.execute(new VerifyAuditChainsQuery(actor, q.streamId));
  }
}
