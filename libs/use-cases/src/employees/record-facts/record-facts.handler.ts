import { Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { foldEmployeeFacts, parseEmployeeFact, type EmployeeFactEvent } from '@talent/career-framework';
import { EventStore, IdempotencyConflictError, type StoredEvent } from '@talent/event-store';
import { findEmployee, upsertEmployee } from '@talent/read-models';
import { ForbiddenError, InvalidInputError, type InputIssue } from '@talent/workflows';
import { keyedWrite } from '../../concurrency.js';
import {
  keyedEventId,
  newEvents,
  requestFingerprint,
  roleFor,
  toJson,
  type ActorRole,
  type WriteContext,
} from '../../write-context.js';
import { MANAGER_RECORDABLE_FACTS } from '../employee-access.js';
import { EMPLOYEE_STREAM_TYPE, directoryEntry, employeeStreamId, toFactEvents } from '../employee-stream.js';
import { RecordFactsCommand, type RecordFactsResult } from './record-facts.command.js';

const MAX_FACTS = 500;

/** Validates, authorizes and appends facts to an employee's stream, updating the directory inline. */
@Injectable()
export class EmployeeFactsWriter {
  constructor(private readonly store: EventStore) {}

  async record(
    employeeId: string,
    facts: ReadonlyArray<{ type: string; data: unknown }>,
    ctx: WriteContext,
    scope = 'facts',
  ): Promise<RecordFactsResult> {
    if (facts.length === 0 || facts.length > MAX_FACTS) {
      throw new InvalidInputError(`send between 1 and ${MAX_FACTS} facts (got ${facts.length})`);
    }
    const parsed: EmployeeFactEvent[] = [];
    const issues: InputIssue[] = [];
    facts.forEach((f, i) => {
      const r = parseEmployeeFact(f.type, f.data);
      if (!r.ok) issues.push(...r.errors.map((e) => ({ path: `facts[${i}].${e.path}`, message: e.message })));
      else if (r.value.data.employeeId !== employeeId) {
        issues.push({
          path: `facts[${i}].data.employeeId`,
          message: `must be '${employeeId}' (the employee in the URL)`,
        });
      } else parsed.push(r.value);
    });
    if (issues.length) {
      throw new InvalidInputError(
        `the facts are not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        issues,
      );
    }

    const role = await this.authorize(ctx.actor, employeeId, parsed);
    const streamId = employeeStreamId(employeeId);
    const keyScope = `${streamId}|${scope}`;
    const requestHash = requestFingerprint(ctx, { scope, facts: parsed });
    return keyedWrite(
      ctx,
      () => this.earlierResult(employeeId, keyScope, parsed.length, ctx, requestHash),
      () => this.append(employeeId, parsed, ctx, role, keyScope, requestHash),
    );
  }

  /**
   * A retried request (same Idempotency-Key, same facts) gets the original result: checked before
   * folding, because the facts folded again onto a stream that already holds them can be refused
   * (an employee is hired once). The same key with other facts is refused with 409.
   */
  private async earlierResult(
    employeeId: string,
    keyScope: string,
    count: number,
    ctx: WriteContext,
    requestHash: string | undefined,
  ): Promise<RecordFactsResult | undefined> {
    const ids = Array.from({ length: count }, (_, i) => keyedEventId(ctx, keyScope, i)!);
    const found = await this.store.readEvents(ids);
    if (found.length === 0) return undefined;
    const stored = found[0].metadata.requestHash;
    const differs =
      found.length !== count || (stored !== undefined && requestHash !== undefined && stored !== requestHash);
    if (differs) {
      throw new IdempotencyConflictError(found[0].eventId, 'the key was used for a request with other facts');
    }
    return {
      employeeId,
      version: Math.max(...found.map((e) => e.streamVersion)),
      recorded: found.length,
      duplicate: true,
    };
  }

  private async append(
    employeeId: string,
    parsed: EmployeeFactEvent[],
    ctx: WriteContext,
    role: ActorRole,
    keyScope: string,
    requestHash: string | undefined,
  ): Promise<RecordFactsResult> {
    const streamId = employeeStreamId(employeeId);
    const existing = await this.store.readStream(streamId);
    // Fold before writing: a stream must start with EmployeeHired, and hiring happens once.
    let record;
    try {
      record = foldEmployeeFacts([...toFactEvents(existing), ...parsed]);
    } catch (e) {
      throw new InvalidInputError(e instanceof Error ? e.message : String(e), [], 'INVALID_EMPLOYEE_STREAM');
    }
    const expected = ctx.expectedVersion ?? existing.length;
    const today = ctx.now.slice(0, 10);
    const result = await this.store.append(
      streamId,
      EMPLOYEE_STREAM_TYPE,
      expected,
      newEvents(
        ctx,
        keyScope,
        role,
        parsed.map((p) => ({ type: p.type, payload: toJson(p.data) })),
        requestHash,
      ),
      {
        inline: async (tx, stored: StoredEvent[]) => {
          const version = stored[stored.length - 1].streamVersion;
          await upsertEmployee(tx, directoryEntry(record, version, today, ctx.now));
        },
      },
    );
    return {
      employeeId,
      version: result.streamVersion,
      recorded: result.events.length,
      duplicate: result.duplicate,
    };
  }

  private async authorize(
    actor: WriteContext['actor'],
    employeeId: string,
    facts: EmployeeFactEvent[],
  ): Promise<ActorRole> {
    const full = roleFor(actor, ['hr', 'system']);
    if (full) return full;
    if (actor.roles.includes('manager') && facts.every((f) => MANAGER_RECORDABLE_FACTS.has(f.type))) {
      const employee = await findEmployee(this.store.dataSource, employeeId);
      if (employee && employee.managerId === actor.userId) return 'manager';
      throw new ForbiddenError(
        `you may record facts only for your own reports; '${employeeId}' is not one of them`,
      );
    }
    throw new ForbiddenError(
      `only HR records employee facts (managers may record ${[...MANAGER_RECORDABLE_FACTS].join(', ')} for their own reports)`,
    );
  }
}

@CommandHandler(RecordFactsCommand)
export class RecordFactsHandler implements ICommandHandler<RecordFactsCommand, RecordFactsResult> {
  constructor(private readonly writer: EmployeeFactsWriter) {}

  execute({ employeeId, facts, ctx }: RecordFactsCommand): Promise<RecordFactsResult> {
    return this.writer.record(employeeId, facts, ctx);
  }
}
