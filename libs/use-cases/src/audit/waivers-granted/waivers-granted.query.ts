import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { waiversGranted, type WaiversGrantedPage } from '@talent/audit';
import { EventStore } from '@talent/event-store';
import type { ActorRef } from '../../write-context.js';
import { assertAuditReader } from '../audit-access.js';
import type { PageRequest } from '../case-history/case-history.query.js';

/** Waivers granted in [from, to), with the total and the count per requirement over the period. */
export class GetWaiversGrantedQuery extends Query<WaiversGrantedPage> {
  constructor(
    readonly period: { from: string; to: string },
    readonly page: PageRequest,
    readonly actor: ActorRef,
  ) {
    super();
  }
}

@QueryHandler(GetWaiversGrantedQuery)
export class GetWaiversGrantedHandler implements IQueryHandler<GetWaiversGrantedQuery, WaiversGrantedPage> {
  constructor(private readonly store: EventStore) {}

  async execute(q: GetWaiversGrantedQuery): Promise<WaiversGrantedPage> {
    assertAuditReader(q.actor, 'the waivers granted across the organisation');
    return waiversGranted(this.store.dataSource, { ...q.period, ...q.page });
  }
}
