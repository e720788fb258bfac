import { Injectable } from '@nestjs/common';
import { rebuildStreamSubjects } from '@talent/audit';
import { foldEmployeeFacts } from '@talent/career-framework';
import { EventStore, START, type Checkpoint, type StoredEvent } from '@talent/event-store';
import { upsertCase, upsertEmployee } from '@talent/read-models';
import type { QueryRunner } from 'typeorm';
import { CaseContextBuilder } from '../../cases/case-context.js';
import { isCaseType } from '../../cases/case-events.js';
import { CaseRepository } from '../../cases/case-repository.js';
import { caseListEntry } from '../../cases/case-row.js';
import { directoryEntry, EMPLOYEE_STREAM_TYPE, toFactEvents } from '../../employees/employee-stream.js';

export interface RebuildReport {
  employees: number;
  cases: number;
  streamSubjects: number;
  eventsRead: number;
}

const BATCH = 1000;

/**
 * Drops and rebuilds the `employees` and `cases` read models from the event log alone, in one
 * transaction: readers keep seeing the old rows until it commits.
 *
 * The log is replayed in commit order (tx id, position), as the inline projections saw it: an
 * employee's directory row is the fold of their facts, stamped with the last append's clock; a
 * case's row is its folded state with the relationships (manager, team) of the employee *as of the
 * case's last event*, exactly what the inline projection read when that event was written. So a
 * rebuild reproduces the rows value for value, `updated_at` included.
 *
 * Concurrency: `EXCLUSIVE` locks on both tables let readers through but make writers wait until the
 * commit (a writer already inside its transaction is waited for), and the REPEATABLE READ snapshot
 * taken after the lock sees every event those writers committed. Writers that wait then upsert rows
 * of a higher version over the rebuilt ones, as usual.
 *
 * `stream_subjects` is rebuilt afterwards by `rebuildStreamSubjects` (its own transaction).
 */
@Injectable()
export class ReadModelRebuilder {
  constructor(
    private readonly store: EventStore,
    private readonly cases: CaseRepository,
    private readonly context: CaseContextBuilder,
  ) {}

  async rebuild(): Promise<RebuildReport> {
    const qr = this.store.dataSource.createQueryRunner();
    await qr.connect();
    let report: Omit<RebuildReport, 'streamSubjects'>;
    try {
      await qr.startTransaction('REPEATABLE READ');
      try {
        // before the first query: the snapshot is taken after the lock is granted
        await qr.query('LOCK TABLE employees, cases IN EXCLUSIVE MODE');
        report = await this.replay(qr);
        await qr.commitTransaction();
      } catch (e) {
        await qr.rollbackTransaction();
        throw e;
      }
    } finally {
      await qr.release();
    }
    const streamSubjects = await rebuildStreamSubjects(this.store.dataSource);
    return { ...report, streamSubjects };
  }

  private async replay(qr: QueryRunner): Promise<Omit<RebuildReport, 'streamSubjects'>> {
    const headRows = (await qr.query(
      'SELECT stream_id, max(stream_version)::int AS v FROM events GROUP BY stream_id',
    )) as Array<{ stream_id: string; v: number }>;
    const heads = new Map(headRows.map((r) => [r.stream_id, Number(r.v)]));
    await qr.query('DELETE FROM cases');
    await qr.query('DELETE FROM employees');

    const employeeEvents = new Map<string, StoredEvent[]>();
    const dirty = new Set<string>();
    const flush = async () => {
      for (const streamId of dirty) {
        const events = employeeEvents.get(streamId)!;
        const last = events[events.length - 1];
        const at = last.metadata.occurredAt;
        const record = foldEmployeeFacts(toFactEvents(events));
        await upsertEmployee(qr, directoryEntry(record, last.streamVersion, at.slice(0, 10), at));
      }
      dirty.clear();
    };

    let employees = 0;
    let cases = 0;
    let eventsRead = 0;
    let checkpoint: Checkpoint = START;
    for (;;) {
      const page = await this.store.readAll(checkpoint, BATCH, { queryRunner: qr, watermark: false });
      if (page.events.length === 0) break;
      eventsRead += page.events.length;
      for (const e of page.events) {
        if (e.streamType === EMPLOYEE_STREAM_TYPE) {
          const list = employeeEvents.get(e.streamId);
          if (list) list.push(e);
          else {
            employeeEvents.set(e.streamId, [e]);
            employees += 1;
          }
          dirty.add(e.streamId);
        } else if (isCaseType(e.streamType) && e.streamVersion === heads.get(e.streamId)) {
          // the case's row as its last append wrote it: employees as they stood then
          await flush();
          const loaded = await this.cases.load(e.streamId, { queryRunner: qr });
          if (!loaded) continue;
          const facts = await this.context.factsFor(loaded.state, qr);
          await upsertCase(qr, caseListEntry(loaded.state, facts));
          cases += 1;
        }
      }
      checkpoint = page.checkpoint;
    }
    await flush();
    return { employees, cases, eventsRead };
  }
}
