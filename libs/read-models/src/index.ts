import { CaseRow, EmployeeRow } from './entities.js';
import { ReadModels1764000001000 } from './migrations/1764000001000-read-models.js';

export const readModelMigrations = [ReadModels1764000001000];
export const readModelEntities = [EmployeeRow, CaseRow];
export * from './employee-directory.js';
export * from './case-list.js';
