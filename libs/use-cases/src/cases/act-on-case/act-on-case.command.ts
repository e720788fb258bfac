import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { WriteContext } from '../../write-context.js';
import { CaseCommandService, type CaseCommandResult } from '../case-command.service.js';

/** Moves an existing case with one of its actions (approve, withdraw, recordPeerReview, ...). */
export class ActOnCaseCommand extends Command<CaseCommandResult> {
  constructor(
    readonly caseId: string,
    readonly action: string,
    readonly payload: Record<string, unknown>,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(ActOnCaseCommand)
export class ActOnCaseHandler implements ICommandHandler<ActOnCaseCommand, CaseCommandResult> {
  constructor(private readonly cases: CaseCommandService) {}

  execute(c: ActOnCaseCommand): Promise<CaseCommandResult> {
    return this.cases.execute({ caseId: c.caseId, action: c.action, payload: c.payload, ctx: c.ctx });
  }
}
