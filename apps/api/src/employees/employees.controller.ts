import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query as Q,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import {
  GetEligibilityQuery,
  GetEmployeeQuery,
  GetNextRolesQuery,
  ImportFactsCsvCommand,
  RecordFactsCommand,
} from '@talent/use-cases';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/actor.js';
import { etag, Write, type WriteRequest } from '../http/write-request.js';

const factsBody = z.union([
  z.object({ type: z.string().min(1), data: z.record(z.string(), z.unknown()) }).strict(),
  z
    .object({
      facts: z
        .array(z.object({ type: z.string().min(1), data: z.record(z.string(), z.unknown()) }).strict())
        .min(1)
        .max(500),
    })
    .strict(),
]);
const employeeId = z
  .string()
  .regex(/^[A-Za-z0-9._@-]{1,128}$/, 'an employee id is 1-128 letters, digits, ".", "_", "@" or "-"');
const isoDate = z.iso.date('expected a date like 2026-01-10');

@ApiTags('employees')
@ApiBearerAuth()
@Controller('employees')
export class EmployeesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('facts/import')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Bulk import of employee facts from CSV (HR)',
    description:
      'One fact per row; the report gives each line its outcome. A bad row is reported with its line number and nothing of it is written.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string' } })
  importCsv(@Body() body: unknown, @Write() w: WriteRequest) {
    if (typeof body !== 'string' || body.length === 0) {
      throw new BadRequestException('send the CSV as the body with Content-Type: text/csv');
    }
    return this.commands.execute(new ImportFactsCsvCommand(body, w));
  }

  @Post(':employeeId/facts')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Record one fact ({type, data}) or several ({facts: [...]}) about an employee, atomically',
  })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  async record(
    @Param('employeeId') id: string,
    @Body() body: unknown,
    @Write() w: WriteRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    const parsed = factsBody.parse(body);
    const facts = 'facts' in parsed ? parsed.facts : [parsed];
    const result = await this.commands.execute(new RecordFactsCommand(employeeId.parse(id), facts, w));
    res.setHeader('ETag', etag(result.version));
    return result;
  }

  @Get(':employeeId')
  @ApiOperation({ summary: 'The employee as the directory shows them now' })
  async get(
    @Param('employeeId') id: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ) {
    const entry = await this.queries.execute(new GetEmployeeQuery(employeeId.parse(id), actor));
    res.setHeader('ETag', etag(entry.version));
    return entry;
  }

  @Get(':employeeId/eligibility')
  @ApiOperation({
    summary:
      'Eligibility for a target role as of a date: per requirement met / unmet / waived, with evidence and what is missing',
  })
  @ApiQuery({
    name: 'target',
    required: true,
    description: 'role or designation id of the employee’s framework',
  })
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO date; defaults to today (UTC)' })
  eligibility(
    @Param('employeeId') id: string,
    @Q('target') target: unknown,
    @Q('asOf') asOf: unknown,
    @CurrentActor() actor: Actor,
  ) {
    const t = z
      .string({ error: 'target is required (a role id such as senior-engineer)' })
      .min(1)
      .max(200)
      .parse(target);
    return this.queries.execute(new GetEligibilityQuery(employeeId.parse(id), t, this.date(asOf), actor));
  }

  @Get(':employeeId/next-roles')
  @ApiOperation({ summary: 'Every role the employee could move to next, each with its verdict' })
  @ApiQuery({ name: 'asOf', required: false })
  nextRoles(@Param('employeeId') id: string, @Q('asOf') asOf: unknown, @CurrentActor() actor: Actor) {
    return this.queries.execute(new GetNextRolesQuery(employeeId.parse(id), this.date(asOf), actor));
  }

  private date(value: unknown): string {
    return value === undefined ? new Date().toISOString().slice(0, 10) : isoDate.parse(value);
  }
}
