import type { Issue } from './issues.js';
import { issueToString } from './issues.js';

/** Base of every error the career-framework core throws. */
export abstract class CareerFrameworkError extends Error {
  abstract readonly code: string;
}

export class InvalidFrameworkError extends CareerFrameworkError {
  readonly code = 'INVALID_FRAMEWORK';
  constructor(readonly issues: Issue[]) {
    super(`invalid framework document:\n${issues.map(issueToString).join('\n')}`);
    this.name = 'InvalidFrameworkError';
  }
}

export class UnknownRoleError extends CareerFrameworkError {
  readonly code = 'UNKNOWN_ROLE';
  constructor(
    readonly frameworkId: string,
    readonly roleId: string,
  ) {
    super(`framework ${frameworkId} has no role or designation "${roleId}"`);
    this.name = 'UnknownRoleError';
  }
}

export class InvalidFactError extends CareerFrameworkError {
  readonly code = 'INVALID_FACT';
  constructor(readonly issues: Issue[]) {
    super(`invalid employee fact:\n${issues.map(issueToString).join('\n')}`);
    this.name = 'InvalidFactError';
  }
}

export class EmployeeStreamError extends CareerFrameworkError {
  readonly code = 'EMPLOYEE_STREAM';
  constructor(message: string) {
    super(message);
    this.name = 'EmployeeStreamError';
  }
}

export class FrameworkCatalogError extends CareerFrameworkError {
  readonly code = 'FRAMEWORK_CATALOG';
  constructor(message: string) {
    super(message);
    this.name = 'FrameworkCatalogError';
  }
}

export class InvalidDateError extends CareerFrameworkError {
  readonly code = 'INVALID_DATE';
  constructor(readonly value: string) {
    super(`expected an ISO date YYYY-MM-DD, got "${value}"`);
    this.name = 'InvalidDateError';
  }
}
