import { Injectable } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  eligibility,
  isIsoDate,
  nextRoles,
  type EligibilityResult,
  type NextRole,
} from '@talent/career-framework';
import { findEmployee } from '@talent/read-models';
import { EventStore } from '@talent/event-store';
import { InvalidInputError, NotFoundError } from '@talent/workflows';
import { FrameworkCatalogReader } from '../../frameworks/framework-catalog.reader.js';
import { assertCanReadEmployee } from '../employee-access.js';
import { EmployeeRepository } from '../employee-stream.js';
import { EligibilityContextReader } from '../eligibility-context.js';
import { GetEligibilityQuery, GetNextRolesQuery } from './get-eligibility.query.js';

/** Gathers what eligibility is computed from, after checking the caller may read the employee. */
@Injectable()
export class EligibilityInputs {
  constructor(
    private readonly store: EventStore,
    private readonly employees: EmployeeRepository,
    private readonly frameworks: FrameworkCatalogReader,
    private readonly context: EligibilityContextReader,
  ) {}

  async gather(employeeId: string, asOf: string, actor: GetEligibilityQuery['actor']) {
    if (!isIsoDate(asOf)) throw new InvalidInputError(`asOf must be a date like 2026-01-10 (got "${asOf}")`);
    const entry = await findEmployee(this.store.dataSource, employeeId);
    if (!entry) throw new NotFoundError('employee', employeeId);
    assertCanReadEmployee(actor, entry);
    const { record } = await this.employees.load(employeeId);
    const { document } = await this.frameworks.get(record.frameworkId);
    const [openings, waivers] = await Promise.all([
      this.context.openings(),
      this.context.waivers(employeeId),
    ]);
    return { framework: document, employee: record, asOf, openings, waivers };
  }
}

@QueryHandler(GetEligibilityQuery)
export class GetEligibilityHandler implements IQueryHandler<GetEligibilityQuery, EligibilityResult> {
  constructor(private readonly inputs: EligibilityInputs) {}

  async execute(q: GetEligibilityQuery): Promise<EligibilityResult> {
    const input = await this.inputs.gather(q.employeeId, q.asOf, q.actor);
    return eligibility({ ...input, targetRoleId: q.targetRoleId });
  }
}

@QueryHandler(GetNextRolesQuery)
export class GetNextRolesHandler implements IQueryHandler<
  GetNextRolesQuery,
  { employeeId: string; asOf: string; roles: NextRole[] }
> {
  constructor(private readonly inputs: EligibilityInputs) {}

  async execute(q: GetNextRolesQuery) {
    const input = await this.inputs.gather(q.employeeId, q.asOf, q.actor);
    return { employeeId: q.employeeId, asOf: q.asOf, roles: nextRoles(input) };
  }
}
