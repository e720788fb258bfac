import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ReadModelRebuilder, type RebuildReport } from './read-model-rebuilder.js';

/** Drops and rebuilds the employee directory, the case list and stream subjects from the log. */
export class RebuildReadModelsCommand extends Command<RebuildReport> {}

@CommandHandler(RebuildReadModelsCommand)
export class RebuildReadModelsHandler implements ICommandHandler<RebuildReadModelsCommand, RebuildReport> {
  constructor(private readonly rebuilder: ReadModelRebuilder) {}

  execute(): Promise<RebuildReport> {
    return this.rebuilder.rebuild();
  }
}
