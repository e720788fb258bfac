import { CaseRow, CycleEligibilityRow, EmployeeRow } from './entities.js';
import { ReadModels1764000001000 } from './migrations/1764000001000-read-models.js';
import { CycleEligibility1764000003000 } from './migrations/1764000003000-cycle-eligibility.js';
import { CaseWaitingExcept1764700000000 } from './migrations/1764700000000-case-waiting-except.js';

export const readModelMigrations = [
  ReadModels1764000001000,
  CycleEligibility1764000003000,
  CaseWaitingExcept1764700000000,
];
export const readModelEntities = [EmployeeRow, CaseRow, CycleEligibilityRow];
export * from './employee-directory.js';
export * from './case-list.js';
