export * from './rebuild-read-models/read-model-rebuilder.js';
export * from './rebuild-read-models/rebuild-read-models.command.js';
export * from './projections.module.js';
