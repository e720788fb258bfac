import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../write-context.js';

export interface RecordFactsResult {
  employeeId: string;
  version: number;
  recorded: number;
  duplicate: boolean;
}

/** Records one or more facts about one employee, atomically (all or none). */
export class RecordFactsCommand extends Command<RecordFactsResult> {
  constructor(
    readonly employeeId: string,
    readonly facts: ReadonlyArray<{ type: string; data: unknown }>,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
