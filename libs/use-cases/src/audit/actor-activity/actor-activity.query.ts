import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { actorActivity, type AuditEvent, type Page } from '@talent/audit';
import { EventStore } from '@talent/event-store';
import type { ActorRef } from '../../write-context.js';
import { AuditAccess } from '../audit-access.js';
import type { PageRequest } from '../case-history/case-history.query.js';

/** Everything one person (or `system`) did in [from, to), by occurrence time. */
export class GetActorActivityQuery extends Query<Page<AuditEvent>> {
  constructor(
    readonly actorId: string,
    readonly period: { from: string; to: string },
    readonly page: PageRequest,
    readonly actor: ActorRef,
  ) {
    super();
  }
}

@QueryHandler(GetActorActivityQuery)
export class GetActorActivityHandler implements IQueryHandler<GetActorActivityQuery, Page<AuditEvent>> {
  constructor(
    private readonly store: EventStore,
    private readonly access: AuditAccess,
  ) {}

  async execute(q: GetActorActivityQuery): Promise<Page<AuditEvent>> {
    await this.access.assertCanReadActivity(q.actorId, q.actor);
    return actorActivity(this.store.dataSource, q.actorId, { ...q.period, ...q.page });
  }
}
