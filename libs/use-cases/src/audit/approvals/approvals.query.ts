import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { approvals, type Approval, type Page } from '@talent/audit';
import { EventStore } from '@talent/event-store';
import { ForbiddenError } from '@talent/workflows';
import type { ActorRef } from '../../write-context.js';
import { isAuditReader } from '../audit-access.js';
import type { PageRequest } from '../case-history/case-history.query.js';

/** Who approved, granted, denied or rejected what, and when, in [from, to); optionally per approver. */
export class GetApprovalsQuery extends Query<Page<Approval>> {
  constructor(
    readonly filter: { from: string; to: string; approverId?: string },
    readonly page: PageRequest,
    readonly actor: ActorRef,
  ) {
    super();
  }
}

/** HR and auditors read every decision; anyone else reads only the decisions they took themselves. */
export function assertCanReadApprovals(actor: ActorRef, approverId: string | undefined): void {
  if (isAuditReader(actor) || approverId === actor.userId) return;
  throw new ForbiddenError(
    `only HR and auditors may read everyone's approvals; add approver=${actor.userId} to read your own decisions`,
  );
}

@QueryHandler(GetApprovalsQuery)
export class GetApprovalsHandler implements IQueryHandler<GetApprovalsQuery, Page<Approval>> {
  constructor(private readonly store: EventStore) {}

  async execute(q: GetApprovalsQuery): Promise<Page<Approval>> {
    assertCanReadApprovals(q.actor, q.filter.approverId);
    return approvals(this.store.dataSource, { ...q.filter, ...q.page });
  }
}
