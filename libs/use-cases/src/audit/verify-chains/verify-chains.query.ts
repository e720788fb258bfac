import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore, type VerifyChainsResult } from '@talent/event-store';
import type { ActorRef } from '../../write-context.js';
import { assertAuditReader } from '../audit-access.js';

export interface AuditVerification extends VerifyChainsResult {
  /** When the walk finished (UTC). */
  verifiedAt: string;
  streamId?: string;
}

/** Walks every stream's hash chain (or one stream's) and reports the first broken link. */
export class VerifyAuditChainsQuery extends Query<AuditVerification> {
  constructor(
    readonly actor: ActorRef,
    readonly streamId?: string,
  ) {
    super();
  }
}

@QueryHandler(VerifyAuditChainsQuery)
export class VerifyAuditChainsHandler implements IQueryHandler<VerifyAuditChainsQuery, AuditVerification> {
  constructor(private readonly store: EventStore) {}

  async execute(q: VerifyAuditChainsQuery): Promise<AuditVerification> {
    assertAuditReader(q.actor, 'the hash-chain verification');
    const result = await this.store.verifyChains(q.streamId ? { streamId: q.streamId } : {});
    return {
      ...result,
      ...(q.streamId ? { streamId: q.streamId } : {}),
      verifiedAt: new Date().toISOString(),
    };
  }
}
