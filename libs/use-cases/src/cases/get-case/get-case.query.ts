import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  availableActions,
  checkAuthorization,
  ForbiddenError,
  NotFoundError,
  type CaseState,
} from '@talent/workflows';
import type { ActorRef } from '../../write-context.js';
import { CaseContextBuilder } from '../case-context.js';
import { CaseRepository } from '../case-repository.js';

export interface CaseView {
  caseId: string;
  caseType: string;
  stage: string;
  version: number;
  machineVersion: string;
  state: CaseState;
  /** Actions the caller may take now (stage allows it and their role/relationship does). */
  availableActions: string[];
}

/** A case from its event stream (now, or as recorded up to an instant), with what the caller may do. */
export class GetCaseQuery extends Query<CaseView> {
  constructor(
    readonly caseId: string,
    readonly actor: ActorRef,
    readonly asOf?: string,
  ) {
    super();
  }
}

@QueryHandler(GetCaseQuery)
export class GetCaseHandler implements IQueryHandler<GetCaseQuery, CaseView> {
  constructor(
    private readonly cases: CaseRepository,
    private readonly context: CaseContextBuilder,
  ) {}

  async execute(q: GetCaseQuery): Promise<CaseView> {
    const loaded = await this.cases.load(q.caseId, q.asOf ? { untilRecordedAt: q.asOf } : {});
    if (!loaded) throw new NotFoundError('case', q.caseId);
    const facts = await this.context.factsFor(loaded.state);
    const actor = {
      userId: q.actor.userId,
      roles: q.actor.roles,
      ...(q.actor.team ? { team: q.actor.team } : {}),
    };
    const read = checkAuthorization(loaded.caseType, 'read', actor, facts);
    if (!read.allowed)
      throw new ForbiddenError(
        `you may not read this ${loaded.caseType} case: ${read.reason ?? 'not related to it'}`,
      );
    return {
      caseId: loaded.state.caseId,
      caseType: loaded.caseType,
      stage: loaded.state.stage,
      version: loaded.version,
      machineVersion: loaded.state.machineVersion,
      state: loaded.state,
      availableActions: q.asOf ? [] : availableActions(loaded.state, actor, facts),
    };
  }
}
