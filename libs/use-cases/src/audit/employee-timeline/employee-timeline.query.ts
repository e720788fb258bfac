import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { employeeTimeline, type AuditEvent, type Page } from '@talent/audit';
import { EventStore } from '@talent/event-store';
import type { ActorRef } from '../../write-context.js';
import { AuditAccess } from '../audit-access.js';
import type { PageRequest } from '../case-history/case-history.query.js';

/** Everything about an employee, in log order: their facts and every case about them. */
export class GetEmployeeTimelineQuery extends Query<Page<AuditEvent>> {
  constructor(
    readonly employeeId: string,
    readonly period: { from?: string; to?: string },
    readonly page: PageRequest,
    readonly actor: ActorRef,
  ) {
    super();
  }
}

@QueryHandler(GetEmployeeTimelineQuery)
export class GetEmployeeTimelineHandler implements IQueryHandler<GetEmployeeTimelineQuery, Page<AuditEvent>> {
  constructor(
    private readonly store: EventStore,
    private readonly access: AuditAccess,
  ) {}

  async execute(q: GetEmployeeTimelineQuery): Promise<Page<AuditEvent>> {
    await this.access.readableEmployee(q.employeeId, q.actor);
    return employeeTimeline(this.store.dataSource, q.employeeId, { ...q.period, ...q.page });
  }
}
