import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { caseHistory, type AuditEvent, type Page } from '@talent/audit';
import { EventStore } from '@talent/event-store';
import type { ActorRef } from '../../write-context.js';
import { AuditAccess } from '../audit-access.js';

export interface PageRequest {
  after?: string;
  limit?: number;
}

/** Every event of a case: who (user and role), when (occurred, recorded), why (reason), what (payload). */
export class GetCaseHistoryQuery extends Query<Page<AuditEvent>> {
  constructor(
    readonly caseId: string,
    readonly page: PageRequest,
    readonly actor: ActorRef,
  ) {
    super();
  }
}

@QueryHandler(GetCaseHistoryQuery)
export class GetCaseHistoryHandler implements IQueryHandler<GetCaseHistoryQuery, Page<AuditEvent>> {
  constructor(
    private readonly store: EventStore,
    private readonly access: AuditAccess,
  ) {}

  async execute(q: GetCaseHistoryQuery): Promise<Page<AuditEvent>> {
    await this.access.readableCase(q.caseId, q.actor);
    return caseHistory(this.store.dataSource, q.caseId, q.page);
  }
}
