import { Injectable } from '@nestjs/common';
import {
  employeeAsOf,
  foldEmployeeFacts,
  isEmployeeFactType,
  type EmployeeFactEvent,
  type EmployeeRecord,
} from '@talent/career-framework';
import { EventStore, type StoredEvent } from '@talent/event-store';
import type { QueryRunner } from 'typeorm';
import type { EmployeeDirectoryEntry } from '@talent/read-models';
import { NotFoundError } from '@talent/workflows';

export const EMPLOYEE_STREAM_TYPE = 'employee';
export const employeeStreamId = (employeeId: string) => `employee-${employeeId}`;

export function toFactEvents(events: readonly StoredEvent[]): EmployeeFactEvent[] {
  return events
    .filter((e) => isEmployeeFactType(e.type))
    .map(
      (e) => ({ type: e.type, data: e.payload, recordedAt: e.recordedAt.toISOString() }) as EmployeeFactEvent,
    );
}

/** The directory row (current view) of an employee, from their folded record. */
export function directoryEntry(
  record: EmployeeRecord,
  version: number,
  today: string,
  updatedAt: string,
): EmployeeDirectoryEntry {
  const lastDate = record.facts.reduce(
    (max, f) => (f.data.effectiveDate > max ? f.data.effectiveDate : max),
    today,
  );
  const current = employeeAsOf(record, lastDate);
  if (!current) throw new Error(`employee ${record.employeeId} has no state as of ${lastDate}`);
  return {
    employeeId: record.employeeId,
    name: record.name,
    email: record.email,
    team: current.team,
    managerId: current.managerId ?? null,
    frameworkId: record.frameworkId,
    track: current.track,
    roleId: current.roleId,
    hiredOn: record.hiredOn,
    version,
    updatedAt,
  };
}

export interface LoadedEmployee {
  record: EmployeeRecord;
  version: number;
  events: StoredEvent[];
}

@Injectable()
export class EmployeeRepository {
  constructor(private readonly store: EventStore) {}

  async load(employeeId: string, options: { queryRunner?: QueryRunner } = {}): Promise<LoadedEmployee> {
    const events = await this.store.readStream(employeeStreamId(employeeId), 1, options);
    if (events.length === 0) throw new NotFoundError('employee', employeeId);
    return {
      record: foldEmployeeFacts(toFactEvents(events)),
      version: events[events.length - 1].streamVersion,
      events,
    };
  }

  /** Events up to an instant of recording (for "what did the engine know then"). */
  async loadAsRecordedAt(employeeId: string, instant: string): Promise<LoadedEmployee> {
    const all = await this.store.readStream(employeeStreamId(employeeId));
    const events = all.filter((e) => e.recordedAt.toISOString() <= instant);
    if (events.length === 0) throw new NotFoundError('employee (as of that instant)', employeeId);
    return {
      record: foldEmployeeFacts(toFactEvents(events)),
      version: events[events.length - 1].streamVersion,
      events,
    };
  }
}
