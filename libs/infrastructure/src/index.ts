export * from './database.module.js';
export * from './redis.module.js';
export * from './logging.module.js';
export * from './request-context.js';
export * from './shutdown.js';
