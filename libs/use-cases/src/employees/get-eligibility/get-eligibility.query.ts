import { Query } from '@nestjs/cqrs';
import type { EligibilityResult, NextRole } from '@talent/career-framework';
import type { ActorRef } from '../../write-context.js';

/** `eligibility(employee, target, asOf)` from recorded facts, openings and granted waivers. */
export class GetEligibilityQuery extends Query<EligibilityResult> {
  constructor(
    readonly employeeId: string,
    readonly targetRoleId: string,
    readonly asOf: string,
    readonly actor: ActorRef,
  ) {
    super();
  }
}

/** Every role the employee could move to next, each with its verdict. */
export class GetNextRolesQuery extends Query<{ employeeId: string; asOf: string; roles: NextRole[] }> {
  constructor(
    readonly employeeId: string,
    readonly asOf: string,
    readonly actor: ActorRef,
  ) {
    super();
  }
}
