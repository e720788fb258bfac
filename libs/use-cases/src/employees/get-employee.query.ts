import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { findEmployee, type EmployeeDirectoryEntry } from '@talent/read-models';
import { EventStore } from '@talent/event-store';
import { NotFoundError } from '@talent/workflows';
import type { ActorRef } from '../write-context.js';
import { assertCanReadEmployee } from './employee-access.js';

export class GetEmployeeQuery extends Query<EmployeeDirectoryEntry> {
  constructor(
    readonly employeeId: string,
    readonly actor: ActorRef,
  ) {
    super();
  }
}

@QueryHandler(GetEmployeeQuery)
export class GetEmployeeHandler implements IQueryHandler<GetEmployeeQuery, EmployeeDirectoryEntry> {
  constructor(private readonly store: EventStore) {}

  async execute(q: GetEmployeeQuery): Promise<EmployeeDirectoryEntry> {
    const entry = await findEmployee(this.store.dataSource, q.employeeId);
    if (!entry) throw new NotFoundError('employee', q.employeeId);
    assertCanReadEmployee(q.actor, entry);
    return entry;
  }
}
