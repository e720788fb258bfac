export * from './database.module.js';
export * from './redis.module.js';
export * from './logging.module.js';
export * from './request-context.js';
export * from './shutdown.js';
export * from './health.controller.js';
export * from './health.module.js';
