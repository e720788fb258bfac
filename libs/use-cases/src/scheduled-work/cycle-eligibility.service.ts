import { Injectable } from '@nestjs/common';
import { foldEmployeeFacts, nextRoles, type GrantedWaiver } from '@talent/career-framework';
import { EventStore, type StoredEvent } from '@talent/event-store';
import { FrameworkCatalogReader } from '../frameworks/framework-catalog.reader.js';
import { EligibilityContextReader } from '../employees/eligibility-context.js';
import { toFactEvents } from '../employees/employee-stream.js';
import type { CycleEligibilityJob } from './jobs.js';

export interface CycleEligibilitySummary {
  cycleId: string;
  employees: number;
  verdicts: number;
  eligible: number;
  /** Per manager: reports eligible now, and reports one requirement away. */
  byManager: Record<string, { eligible: string[]; close: string[] }>;
}

const BATCH = 500;

/**
 * Evaluates every employee under the cycle's framework as of the cycle's date and records each
 * verdict; reads all employee streams in keyset-paged batches (no per-employee round trips) so
 * 10,000 employees take seconds. Idempotent: the rows are keyed by (cycle, employee, role).
 */
@Injectable()
export class CycleEligibilityService {
  constructor(
    private readonly store: EventStore,
    private readonly frameworks: FrameworkCatalogReader,
    private readonly context: EligibilityContextReader,
  ) {}

  async evaluate(job: CycleEligibilityJob): Promise<CycleEligibilitySummary> {
    const { document } = await this.frameworks.get(job.frameworkId, job.frameworkVersion);
    const openings = await this.context.openings();
    const waiverRows = await this.store.dataSource.query<
      Array<{
        employee_id: string;
        case_id: string;
        target_role_id: string | null;
        state: { requirementIds?: string[]; decision?: { by?: string; at?: string } };
      }>
    >(
      `SELECT employee_id, case_id, target_role_id, state FROM cases WHERE case_type = 'waiver' AND stage = 'granted'`,
    );
    const waivers = new Map<string, GrantedWaiver[]>();
    for (const w of waiverRows) {
      const list = waivers.get(w.employee_id) ?? [];
      list.push({
        waiverId: w.case_id,
        requirementIds: w.state.requirementIds ?? [],
        roleId: w.target_role_id ?? '',
        grantedBy: w.state.decision?.by ?? 'unknown',
        grantedAt: (w.state.decision?.at ?? job.asOf).slice(0, 10),
      });
      waivers.set(w.employee_id, list);
    }
    const summary: CycleEligibilitySummary = {
      cycleId: job.cycleId,
      employees: 0,
      verdicts: 0,
      eligible: 0,
      byManager: {},
    };
    let after = '';
    for (;;) {
      const people = await this.store.dataSource.query<
        Array<{ employee_id: string; manager_id: string | null }>
      >(
        `SELECT employee_id, manager_id FROM employees WHERE framework_id = $1 AND employee_id > $2 ORDER BY employee_id LIMIT $3`,
        [job.frameworkId, after, BATCH],
      );
      if (people.length === 0) break;
      after = people[people.length - 1].employee_id;
      const streams = await this.loadStreams(people.map((p) => p.employee_id));
      const rows: Array<[string, string, string | null, boolean, number, string]> = [];
      for (const person of people) {
        const events = streams.get(person.employee_id);
        if (!events?.length) continue;
        const record = foldEmployeeFacts(toFactEvents(events));
        if (record.hiredOn > job.asOf) continue;
        summary.employees++;
        const options = nextRoles({
          framework: document,
          employee: record,
          asOf: job.asOf,
          openings,
          waivers: waivers.get(person.employee_id) ?? [],
        });
        for (const option of options) {
          const unmet =
            option.result.requirements.filter((r) => r.status === 'unmet').length +
            option.result.blockers.length;
          rows.push([
            person.employee_id,
            option.roleId,
            person.manager_id,
            option.result.eligible,
            unmet,
            JSON.stringify(option.result),
          ]);
          summary.verdicts++;
          if (option.result.eligible) summary.eligible++;
          if (person.manager_id && option.kind === 'promotion') {
            const digest = (summary.byManager[person.manager_id] ??= { eligible: [], close: [] });
            if (option.result.eligible) digest.eligible.push(person.employee_id);
            else if (unmet === 1) digest.close.push(person.employee_id);
          }
        }
      }
      await this.save(job, rows);
    }
    return summary;
  }

  private async loadStreams(employeeIds: string[]): Promise<Map<string, StoredEvent[]>> {
    const streamIds = employeeIds.map((id) => `employee-${id}`);
    const rows = await this.store.dataSource.query<Array<Parameters<EventStore['toStoredEvent']>[0]>>(
      `SELECT * FROM events WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version`,
      [streamIds],
    );
    const byEmployee = new Map<string, StoredEvent[]>();
    for (const row of rows) {
      const e = this.store.toStoredEvent(row);
      const id = e.streamId.slice('employee-'.length);
      const list = byEmployee.get(id) ?? [];
      list.push(e);
      byEmployee.set(id, list);
    }
    return byEmployee;
  }

  private async save(
    job: CycleEligibilityJob,
    rows: Array<[string, string, string | null, boolean, number, string]>,
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.store.dataSource.query(
      `INSERT INTO cycle_eligibility (cycle_id, employee_id, target_role_id, manager_id, eligible, unmet, verdict, as_of)
       SELECT $1, e, r, m, el, u, v::jsonb, $2::date
         FROM unnest($3::text[], $4::text[], $5::text[], $6::boolean[], $7::int[], $8::text[]) AS t(e, r, m, el, u, v)
       ON CONFLICT (cycle_id, employee_id, target_role_id) DO UPDATE
         SET manager_id = EXCLUDED.manager_id, eligible = EXCLUDED.eligible, unmet = EXCLUDED.unmet, verdict = EXCLUDED.verdict, as_of = EXCLUDED.as_of`,
      [
        job.cycleId,
        job.asOf,
        rows.map((r) => r[0]),
        rows.map((r) => r[1]),
        rows.map((r) => r[2]),
        rows.map((r) => r[3]),
        rows.map((r) => r[4]),
        rows.map((r) => r[5]),
      ],
    );
  }
}
