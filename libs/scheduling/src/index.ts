import { ScheduledJobRow } from './entities.js';
import { ScheduledJobs1764000002000 } from './migrations/1764000002000-scheduled-jobs.js';

export const schedulingMigrations = [ScheduledJobs1764000002000];
export const schedulingEntities = [ScheduledJobRow];
export * from './scheduled-jobs.js';
