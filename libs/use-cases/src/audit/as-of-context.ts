import { Injectable } from '@nestjs/common';
import {
  foldEmployeeFacts,
  type EmployeeRecord,
  type FrameworkDocument,
  type GrantedWaiver,
  type RoleOpening,
} from '@talent/career-framework';
import { EventStore, type StoredEvent } from '@talent/event-store';
import { InvalidInputError, NotFoundError } from '@talent/workflows';
import { CaseRepository, type LoadedCase } from '../cases/case-repository.js';
import { OPEN_OPENING_STAGES } from '../employees/eligibility-context.js';
import { employeeStreamId, toFactEvents } from '../employees/employee-stream.js';
import { FrameworkCatalogReader, frameworkStreamId } from '../frameworks/framework-catalog.reader.js';

/**
 * `recorded` (default): what the engine knew at the instant (events recorded at or before it).
 * `occurred`: what had happened by then (events whose command ran at or before it).
 */
export type AsOfBasis = 'recorded' | 'occurred';

export interface AsOf {
  /** ISO instant (UTC, ms). */
  instant: string;
  basis: AsOfBasis;
  /** The instant's date (UTC): the `asOf` date eligibility is evaluated for. */
  date: string;
}

const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Validates an instant (ISO-8601 with an offset) and a basis. */
export function asOfInstant(instant: string, basis: AsOfBasis = 'recorded'): AsOf {
  const d = ISO_INSTANT.test(instant) ? new Date(instant) : null;
  // PostgreSQL's timestamptz has no year 0: keep to years 1..9999 in UTC
  if (!d || Number.isNaN(d.getTime()) || d.getTime() < EARLIEST || d.getTime() > LATEST) {
    throw new InvalidInputError(
      `asOf must be an ISO-8601 instant with an offset, such as 2026-03-01T12:00:00Z (got "${instant}")`,
      [{ path: 'asOf', message: 'not an ISO-8601 instant with an offset' }],
    );
  }
  if (basis !== 'recorded' && basis !== 'occurred') {
    throw new InvalidInputError(`basis must be "recorded" or "occurred" (got "${String(basis)}")`, [
      { path: 'basis', message: 'unknown basis' },
    ]);
  }
  const iso = d.toISOString();
  return { instant: iso, basis, date: iso.slice(0, 10) };
}

export function knownAt(e: StoredEvent, at: AsOf): boolean {
  return at.basis === 'recorded'
    ? e.recordedAt.toISOString() <= at.instant
    : e.metadata.occurredAt <= at.instant;
}

function until(at: AsOf): { untilRecordedAt: string } | { untilOccurredAt: string } {
  return at.basis === 'recorded' ? { untilRecordedAt: at.instant } : { untilOccurredAt: at.instant };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * Rebuilds from the log, as of an instant, everything eligibility was computed from then: the
 * employee's facts, the framework version, the open role openings and the granted waivers. Nothing
 * here reads a read model: the read models hold the present.
 */
@Injectable()
export class AsOfContext {
  constructor(
    private readonly store: EventStore,
    private readonly cases: CaseRepository,
    private readonly frameworks: FrameworkCatalogReader,
  ) {}

  loadCase(caseId: string, at: AsOf): Promise<LoadedCase | undefined> {
    return this.cases.load(caseId, until(at));
  }

  /** The employee's record folded from the facts known at the instant; undefined before their hire was recorded. */
  async employee(
    employeeId: string,
    at: AsOf,
  ): Promise<{ record: EmployeeRecord; version: number } | undefined> {
    const events = (await this.store.readStream(employeeStreamId(employeeId))).filter((e) => knownAt(e, at));
    if (events.length === 0) return undefined;
    return {
      record: foldEmployeeFacts(toFactEvents(events)),
      version: events[events.length - 1].streamVersion,
    };
  }

  /** A given framework version, or the one that was current at the instant. */
  async framework(
    frameworkId: string,
    at: AsOf,
    version?: number,
  ): Promise<{ document: FrameworkDocument; version: number }> {
    if (version !== undefined) return this.frameworks.get(frameworkId, version);
    const column = at.basis === 'recorded' ? 'recorded_at' : 'occurred_at';
    const [row] = await this.store.dataSource.query<Array<{ version: number | null }>>(
      `SELECT max((payload ->> 'version')::int) AS version FROM events
        WHERE stream_id = $1 AND ${column} <= $2::timestamptz`,
      [frameworkStreamId(frameworkId), at.instant],
    );
    if (row?.version === null || row?.version === undefined) {
      throw new NotFoundError(`framework (as of ${at.instant})`, frameworkId);
    }
    return this.frameworks.get(frameworkId, row.version);
  }

  /** Role openings that were approved and open at the instant (documented needs). */
  async openings(at: AsOf): Promise<RoleOpening[]> {
    const column = at.basis === 'recorded' ? 'recorded_at' : 'occurred_at';
    const ids = await this.store.dataSource.query<Array<{ stream_id: string }>>(
      `SELECT DISTINCT stream_id FROM events WHERE stream_type = 'opening' AND stream_version = 1 AND ${column} <= $1::timestamptz`,
      [at.instant],
    );
    const out: RoleOpening[] = [];
    for (const { stream_id } of ids) {
      const loaded = await this.loadCase(stream_id, at);
      if (!loaded || !OPEN_OPENING_STAGES.includes(loaded.state.stage)) continue;
      const s = loaded.state as unknown as Record<string, unknown>;
      const roleId = str(s.roleId);
      if (!roleId) continue;
      const approval = s.approval as { at?: string } | undefined;
      const team = str(s.team);
      out.push({
        openingId: loaded.state.caseId,
        roleId,
        ...(team ? { team } : {}),
        approvedAt: (approval?.at ?? loaded.state.updatedAt ?? '1970-01-01').slice(0, 10),
        status: 'open',
      });
    }
    return out;
  }

  /** Waivers granted for the employee by the instant. */
  async waivers(employeeId: string, at: AsOf): Promise<GrantedWaiver[]> {
    const ids = await this.store.dataSource.query<Array<{ stream_id: string }>>(
      `SELECT DISTINCT s.stream_id FROM stream_subjects s
         JOIN events e ON e.stream_id = s.stream_id AND e.stream_version = 1
        WHERE s.employee_id = $1 AND e.stream_type = 'waiver'`,
      [employeeId],
    );
    const out: GrantedWaiver[] = [];
    for (const { stream_id } of ids) {
      const loaded = await this.loadCase(stream_id, at);
      if (!loaded || loaded.state.stage !== 'granted') continue;
      const s = loaded.state as unknown as Record<string, unknown>;
      const decision = s.decision as { by?: string; at?: string } | undefined;
      out.push({
        waiverId: loaded.state.caseId,
        requirementIds: Array.isArray(s.requirementIds)
          ? s.requirementIds.filter((x): x is string => typeof x === 'string')
          : [],
        roleId: str(s.targetRoleId) ?? '',
        grantedBy: decision?.by ?? 'unknown',
        grantedAt: (decision?.at ?? loaded.state.updatedAt ?? '1970-01-01').slice(0, 10),
      });
    }
    return out;
  }

  /** The case streams about an employee (from the audit's subject index), oldest first. */
  async caseIdsOf(employeeId: string): Promise<string[]> {
    const rows = await this.store.dataSource.query<Array<{ stream_id: string }>>(
      `SELECT s.stream_id FROM stream_subjects s
         JOIN events e ON e.stream_id = s.stream_id AND e.stream_version = 1
        WHERE s.employee_id = $1 ORDER BY e.position`,
      [employeeId],
    );
    return rows.map((r) => r.stream_id);
  }
}
