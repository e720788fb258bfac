import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  ConcurrencyError,
  deterministicEventId,
  EventStore,
  IdempotencyConflictError,
  uuidV5,
} from '@talent/event-store';
import { recordCaseSubjects } from '@talent/audit';
import { upsertCase } from '@talent/read-models';
import { getAggregate, NotFoundError, type CaseState, type CaseType } from '@talent/workflows';
import type { QueryRunner } from 'typeorm';
import { keyedWrite } from '../concurrency.js';
import { requestFingerprint, type WriteContext } from '../write-context.js';
import { CaseContextBuilder } from './case-context.js';
import { toStoreEvents } from './case-events.js';
import { CaseRepository } from './case-repository.js';
import { caseListEntry } from './case-row.js';

export interface CaseCommandInput {
  /** Required to open a case; checked against the stored type for an existing one. */
  caseType?: CaseType;
  /** Absent when opening: derived from the Idempotency-Key (so a retry finds the same case) or random. */
  caseId?: string;
  action: string;
  payload: Record<string, unknown>;
  ctx: WriteContext;
  queryRunner?: QueryRunner;
}

export interface CaseCommandResult {
  caseId: string;
  caseType: CaseType;
  stage: string;
  version: number;
  /** Events this command appended (0 when it was a duplicate of an earlier request). */
  appended: string[];
  duplicate: boolean;
}

/**
 * The flow of one case command (ARCHITECTURE.md): load the stream, fold it through the case's
 * machine, gather outside facts, decide (refusals are typed domain errors and write nothing),
 * append with the expected version together with the case-list row, in one transaction.
 */
@Injectable()
export class CaseCommandService {
  constructor(
    private readonly store: EventStore,
    private readonly cases: CaseRepository,
    private readonly context: CaseContextBuilder,
  ) {}

  async execute(input: CaseCommandInput): Promise<CaseCommandResult> {
    const { ctx } = input;
    const caseId =
      input.caseId ??
      (ctx.idempotencyKey ? uuidV5(`case|${ctx.actor.userId}|${ctx.idempotencyKey}`) : randomUUID());
    const scope = `${ctx.actor.userId}|${caseId}|${input.action}|${ctx.idempotencyKey ?? ''}`;
    const requestHash = requestFingerprint(ctx, {
      action: input.action,
      caseType: input.caseType ?? null,
      payload: input.payload,
    });
    // Retrying is safe when the caller did not pin a version: the decision is made again on fresh state.
    return keyedWrite(
      ctx,
      () => this.earlierResult(caseId, scope, ctx, requestHash),
      () => this.attempt(caseId, scope, input, requestHash),
    );
  }

  private async attempt(
    caseId: string,
    scope: string,
    input: CaseCommandInput,
    requestHash: string | undefined,
  ): Promise<CaseCommandResult> {
    const { ctx } = input;
    const loaded = await this.cases.load(caseId, input.queryRunner ? { queryRunner: input.queryRunner } : {});
    const caseType = loaded?.caseType ?? input.caseType;
    if (!caseType) throw new NotFoundError('case', caseId);
    if (input.caseType && loaded && loaded.caseType !== input.caseType)
      throw new NotFoundError(input.caseType, caseId);
    const aggregate = getAggregate(caseType);
    const isCreation = aggregate.creationActions.includes(input.action);
    if (!loaded && !isCreation) throw new NotFoundError('case', caseId);
    const current = loaded?.version ?? 0;
    if (ctx.expectedVersion !== undefined && ctx.expectedVersion !== current) {
      throw new ConcurrencyError(caseId, ctx.expectedVersion, current);
    }
    const payload =
      isCreation && !loaded
        ? await this.context.enrichCreation(caseType, input.action, input.payload)
        : input.payload;
    const decideCtx = await this.context.build(caseType, input.action, loaded?.state, payload, ctx);
    const decided = aggregate.decide(loaded?.state, { type: input.action, caseId, payload }, decideCtx);
    if (decided.length === 0) {
      return {
        caseId,
        caseType,
        stage: loaded!.state.stage,
        version: current,
        appended: [],
        duplicate: false,
      };
    }
    const after = decided.reduce<CaseState | undefined>((s, e) => aggregate.evolve(s, e), loaded?.state)!;
    const facts = await this.context.factsFor(after);
    const ids = ctx.idempotencyKey ? decided.map((_, i) => deterministicEventId(scope, i)) : undefined;
    const result = await this.store.append(
      caseId,
      caseType,
      current,
      toStoreEvents(decided, ctx, ids, requestHash),
      {
        ...(input.queryRunner ? { queryRunner: input.queryRunner } : {}),
        inline: async (tx, stored) => {
          await upsertCase(tx, caseListEntry(after, facts));
          await recordCaseSubjects(tx, stored);
        },
      },
    );
    return {
      caseId,
      caseType,
      stage: after.stage,
      version: result.streamVersion,
      appended: result.events.map((e) => e.type),
      duplicate: result.duplicate,
    };
  }

  /**
   * A retried request (same Idempotency-Key, same body) gets the original result, even if the case
   * moved on. The same key on the same case and action with another body is refused (409): it is
   * not a retry, and answering with the first result would hide that the new request did nothing;
   * so is the same key on the same case for another action. Events written before fingerprints were
   * kept carry none and are taken as the original.
   */
  private async earlierResult(
    caseId: string,
    scope: string,
    ctx: WriteContext,
    requestHash: string | undefined,
  ): Promise<CaseCommandResult | undefined> {
    const ids = Array.from({ length: 16 }, (_, i) => deterministicEventId(scope, i));
    const found = await this.store.readEvents(ids);
    if (found.length === 0) {
      if (requestHash !== undefined) await this.refuseKeyUsedForAnotherAction(caseId, ctx, requestHash);
      return undefined;
    }
    const stored = found[0].metadata.requestHash;
    if (stored !== undefined && requestHash !== undefined && stored !== requestHash) {
      throw new IdempotencyConflictError(
        found[0].eventId,
        'the key was used for a request with another body',
      );
    }
    const loaded = await this.cases.load(caseId);
    const last = found.reduce((a, b) => (a.streamVersion > b.streamVersion ? a : b));
    return {
      caseId,
      caseType: (loaded?.caseType ?? last.streamType) as CaseType,
      stage: loaded?.state.stage ?? 'unknown',
      version: last.streamVersion,
      appended: [],
      duplicate: true,
    };
  }

  /**
   * The caller's key already caused events on this case for another request (another action): 409.
   * Events carry the key as their causation id and the request's fingerprint.
   */
  private async refuseKeyUsedForAnotherAction(
    caseId: string,
    ctx: WriteContext,
    requestHash: string,
  ): Promise<void> {
    const rows: Array<{ event_id: string }> = await this.store.dataSource.query(
      `SELECT event_id FROM events
        WHERE stream_id = $1 AND metadata->>'causationId' = $2 AND metadata->>'actorId' = $3
          AND metadata->>'requestHash' <> $4
        LIMIT 1`,
      [caseId, ctx.idempotencyKey, ctx.actor.userId, requestHash],
    );
    if (rows[0]) {
      throw new IdempotencyConflictError(
        rows[0].event_id,
        'the key was used for another action on this case',
      );
    }
  }
}
