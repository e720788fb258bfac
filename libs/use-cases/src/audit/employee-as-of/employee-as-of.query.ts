import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { employeeAsOf, nextRoles, type EmployeeSnapshot, type NextRole } from '@talent/career-framework';
import { NotFoundError } from '@talent/workflows';
import type { ActorRef } from '../../write-context.js';
import { AuditAccess } from '../audit-access.js';
import { asOfInstant, AsOfContext, type AsOfBasis } from '../as-of-context.js';

export interface EmployeeCaseAsOf {
  caseId: string;
  caseType: string;
  stage: string;
  version: number;
}

export interface EmployeeAsOfView {
  employeeId: string;
  asOf: string;
  basis: AsOfBasis;
  asOfDate: string;
  /** The employee stream's version known at the instant, and now. */
  version: number;
  currentVersion: number;
  frameworkId: string;
  /** The framework version that was current at the instant (the one eligibility used then). */
  frameworkVersion: number;
  /** The employee on the instant's date, from the facts known then. Null if not yet hired that day. */
  snapshot: EmployeeSnapshot | null;
  /** Every role they could have moved to next, each with the verdict the engine would have given. */
  nextRoles: NextRole[];
  /** Their cases as they stood at the instant (cases opened later are not listed). */
  cases: EmployeeCaseAsOf[];
}

/** An employee as they stood at a past instant: facts, framework version, verdicts, cases. */
export class GetEmployeeAsOfQuery extends Query<EmployeeAsOfView> {
  constructor(
    readonly employeeId: string,
    readonly instant: string,
    readonly actor: ActorRef,
    readonly basis: AsOfBasis = 'recorded',
  ) {
    super();
  }
}

@QueryHandler(GetEmployeeAsOfQuery)
export class GetEmployeeAsOfHandler implements IQueryHandler<GetEmployeeAsOfQuery, EmployeeAsOfView> {
  constructor(
    private readonly access: AuditAccess,
    private readonly context: AsOfContext,
  ) {}

  async execute(q: GetEmployeeAsOfQuery): Promise<EmployeeAsOfView> {
    const at = asOfInstant(q.instant, q.basis);
    const current = await this.access.readableEmployee(q.employeeId, q.actor);
    const employee = await this.context.employee(q.employeeId, at);
    if (!employee) {
      throw new NotFoundError(
        `employee (as of ${at.instant}; nothing about them was recorded yet)`,
        q.employeeId,
      );
    }
    const { record } = employee;
    const [{ document, version: frameworkVersion }, openings, waivers, caseIds] = await Promise.all([
      this.context.framework(record.frameworkId, at),
      this.context.openings(at),
      this.context.waivers(q.employeeId, at),
      this.context.caseIdsOf(q.employeeId),
    ]);
    const cases: EmployeeCaseAsOf[] = [];
    for (const caseId of caseIds) {
      const loaded = await this.context.loadCase(caseId, at);
      if (loaded) {
        cases.push({ caseId, caseType: loaded.caseType, stage: loaded.state.stage, version: loaded.version });
      }
    }
    return {
      employeeId: q.employeeId,
      asOf: at.instant,
      basis: at.basis,
      asOfDate: at.date,
      version: employee.version,
      currentVersion: current.version,
      frameworkId: record.frameworkId,
      frameworkVersion,
      snapshot: employeeAsOf(record, at.date) ?? null,
      nextRoles: nextRoles({ framework: document, employee: record, asOf: at.date, openings, waivers }),
      cases,
    };
  }
}
