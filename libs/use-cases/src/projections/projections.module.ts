import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { ReadModelRebuilder } from './rebuild-read-models/read-model-rebuilder.js';
import { RebuildReadModelsHandler } from './rebuild-read-models/rebuild-read-models.command.js';

const commandHandlers = [RebuildReadModelsHandler];
const services = [ReadModelRebuilder];

/** Read models rebuilt from the event log. */
@Module({
  imports: [CasesModule],
  providers: [...services, ...commandHandlers],
  exports: [...services],
})
export class ProjectionsModule {}
