import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CaseType } from '@talent/workflows';
import type { WriteContext } from '../../write-context.js';
import { CaseCommandService, type CaseCommandResult } from '../case-command.service.js';

/** Opens a case of a type with its creation action (request, nominate, draft, create). */
export class OpenCaseCommand extends Command<CaseCommandResult> {
  constructor(
    readonly caseType: CaseType,
    readonly action: string,
    readonly payload: Record<string, unknown>,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(OpenCaseCommand)
export class OpenCaseHandler implements ICommandHandler<OpenCaseCommand, CaseCommandResult> {
  constructor(private readonly cases: CaseCommandService) {}

  execute(c: OpenCaseCommand): Promise<CaseCommandResult> {
    return this.cases.execute({ caseType: c.caseType, action: c.action, payload: c.payload, ctx: c.ctx });
  }
}
