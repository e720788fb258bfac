import { Injectable } from '@nestjs/common';
import { EventStore, type StoredEvent } from '@talent/event-store';
import { getAggregate, type CaseState, type CaseType } from '@talent/workflows';
import type { QueryRunner } from 'typeorm';
import { isCaseType, toDomainEvent } from './case-events.js';

export interface LoadedCase {
  caseType: CaseType;
  state: CaseState;
  version: number;
  events: StoredEvent[];
}

/** Loads a case by folding its stream through its aggregate (and the machine version it started on). */
@Injectable()
export class CaseRepository {
  constructor(readonly store: EventStore) {}

  async load(
    caseId: string,
    options: {
      queryRunner?: QueryRunner;
      untilRecordedAt?: string;
      untilOccurredAt?: string;
      untilVersion?: number;
    } = {},
  ): Promise<LoadedCase | undefined> {
    let events = await this.store.readStream(
      caseId,
      1,
      options.queryRunner ? { queryRunner: options.queryRunner } : {},
    );
    if (options.untilRecordedAt)
      events = events.filter((e) => e.recordedAt.toISOString() <= options.untilRecordedAt!);
    if (options.untilOccurredAt)
      events = events.filter((e) => e.metadata.occurredAt <= options.untilOccurredAt!);
    if (options.untilVersion !== undefined)
      events = events.filter((e) => e.streamVersion <= options.untilVersion!);
    const first = events[0];
    if (!first || !isCaseType(first.streamType)) return undefined;
    const caseType = first.streamType;
    const aggregate = getAggregate(caseType);
    const state = aggregate.fold(events.map(toDomainEvent));
    if (!state) return undefined;
    return { caseType, state, version: events[events.length - 1].streamVersion, events };
  }
}
