import { Injectable } from '@nestjs/common';
import { EventStore } from '@talent/event-store';
import { findEmployee, type EmployeeDirectoryEntry } from '@talent/read-models';
import { checkAuthorization, ForbiddenError, NotFoundError } from '@talent/workflows';
import { CaseContextBuilder } from '../cases/case-context.js';
import { CaseRepository, type LoadedCase } from '../cases/case-repository.js';
import { assertCanReadEmployee } from '../employees/employee-access.js';
import type { ActorRef } from '../write-context.js';

/** HR and auditors read the whole audit trail; everyone else reads what concerns them. */
export function isAuditReader(actor: ActorRef): boolean {
  return actor.roles.includes('hr') || actor.roles.includes('auditor');
}

export function assertAuditReader(actor: ActorRef, what: string): void {
  if (!isAuditReader(actor)) {
    throw new ForbiddenError(`only HR and auditors may read ${what}`, { userId: actor.userId });
  }
}

/**
 * Who may read which part of the audit trail. The rules are the ones of the live reads: a case's
 * history to whoever may read the case (its employee, their manager, their team's leadership, HR,
 * auditors, ...); an employee's timeline to whoever may read the employee.
 */
@Injectable()
export class AuditAccess {
  constructor(
    private readonly store: EventStore,
    private readonly cases: CaseRepository,
    private readonly context: CaseContextBuilder,
  ) {}

  /** The case as it is now, after checking the caller may read it (404 unknown, 403 not allowed). */
  async readableCase(caseId: string, actor: ActorRef): Promise<LoadedCase> {
    const loaded = await this.cases.load(caseId);
    if (!loaded) throw new NotFoundError('case', caseId);
    if (isAuditReader(actor)) return loaded;
    const facts = await this.context.factsFor(loaded.state);
    const read = checkAuthorization(
      loaded.caseType,
      'read',
      { userId: actor.userId, roles: actor.roles, ...(actor.team ? { team: actor.team } : {}) },
      facts,
    );
    if (!read.allowed) {
      throw new ForbiddenError(
        `you may not read the history of this ${loaded.caseType} case: ${read.reason ?? 'not related to it'}`,
      );
    }
    return loaded;
  }

  /** The employee's directory row, after checking the caller may read them. */
  async readableEmployee(employeeId: string, actor: ActorRef): Promise<EmployeeDirectoryEntry> {
    const entry = await findEmployee(this.store.dataSource, employeeId);
    if (!entry) throw new NotFoundError('employee', employeeId);
    assertCanReadEmployee(actor, entry);
    return entry;
  }

  /**
   * An actor's activity: HR and auditors read anyone's, everyone reads their own, and whoever may
   * read an employee (their manager, their team's leadership) reads what that employee did.
   */
  async assertCanReadActivity(actorId: string, actor: ActorRef): Promise<void> {
    if (isAuditReader(actor) || actor.userId === actorId) return;
    const entry = await findEmployee(this.store.dataSource, actorId);
    if (!entry) {
      throw new ForbiddenError(
        `you may not read the activity of '${actorId}': only HR, auditors and the person themselves may`,
      );
    }
    assertCanReadEmployee(actor, entry);
  }
}
