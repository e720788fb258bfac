import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { JsonObject, Projection, StoredEvent } from '@talent/event-store';
import { InvalidFilterError } from './errors.js';
import { identifier } from './filters.js';

/**
 * Inline projection: records which employees a case stream concerns, so `employeeTimeline` can find
 * the case. Call it in the append's transaction (e.g. from the event store's `inline` handler) with
 * the employees the new events name. An idempotent upsert: a read model, rebuilt from the log at will.
 */
export async function recordStreamSubjects(
  manager: EntityManager | QueryRunner,
  streamId: string,
  employeeIds: readonly string[],
): Promise<void> {
  identifier('streamId', streamId);
  if (!Array.isArray(employeeIds)) throw new InvalidFilterError('employeeIds', 'must be an array');
  const ids = [...new Set(employeeIds.map((id: string) => identifier('employeeIds', id)))];
  if (ids.length === 0) return;
  await manager.query(
    `INSERT INTO stream_subjects (stream_id, employee_id)
     SELECT $1, unnest($2::text[])
     ON CONFLICT (stream_id, employee_id) DO NOTHING`,
    [streamId, ids],
  );
}

/**
 * The employees a case event names: `payload.employeeId` and every string in `payload.employeeIds`
 * (the workflows' convention, e.g. a promotion's employee, an opening's invitees). Must agree with
 * `SUBJECTS_SQL` below, which rebuilds the table by the same rule.
 */
export function employeesNamedBy(payload: JsonObject): string[] {
  const ids: string[] = [];
  if (typeof payload.employeeId === 'string' && payload.employeeId !== '') ids.push(payload.employeeId);
  if (Array.isArray(payload.employeeIds)) {
    for (const id of payload.employeeIds) if (typeof id === 'string' && id !== '') ids.push(id);
  }
  return [...new Set(ids)];
}

/**
 * For a case append's `inline` handler: records the employees the stored events name
 * (`await recordCaseSubjects(tx, stored)`). Employee fact streams are skipped (the timeline reads
 * `employee-<id>` directly).
 */
export async function recordCaseSubjects(
  tx: EntityManager | QueryRunner,
  stored: readonly Pick<StoredEvent, 'streamId' | 'streamType' | 'payload'>[],
): Promise<void> {
  const byStream = new Map<string, string[]>();
  for (const e of stored) {
    if (e.streamType === 'employee') continue;
    const ids = employeesNamedBy(e.payload);
    if (ids.length) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), ...ids]);
  }
  for (const [streamId, ids] of byStream) await recordStreamSubjects(tx, streamId, ids);
}

const SUBJECTS_SQL = `
  INSERT INTO stream_subjects (stream_id, employee_id)
  SELECT DISTINCT e.stream_id, named.employee_id
  FROM events e
  CROSS JOIN LATERAL (
    SELECT e.payload ->> 'employeeId' AS employee_id WHERE jsonb_typeof(e.payload -> 'employeeId') = 'string'
    UNION ALL
    SELECT x FROM jsonb_array_elements_text(
      CASE WHEN jsonb_typeof(e.payload -> 'employeeIds') = 'array' THEN e.payload -> 'employeeIds' ELSE '[]'::jsonb END
    ) AS x
  ) named
  WHERE e.stream_type <> 'employee' AND named.employee_id <> ''
  ON CONFLICT (stream_id, employee_id) DO NOTHING`;

/**
 * Drops and rebuilds `stream_subjects` from the whole log in one transaction (readers see the old
 * rows until it commits), by the rule `recordCaseSubjects` applies inline. Returns the row count.
 * Note: subjects recorded with `recordStreamSubjects` by another rule are not re-derived.
 */
export async function rebuildStreamSubjects(dataSource: DataSource): Promise<number> {
  return dataSource.transaction(async (manager) => {
    await manager.query('DELETE FROM stream_subjects');
    await manager.query(SUBJECTS_SQL);
    const [row] = await manager.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM stream_subjects');
    return row?.n ?? 0;
  });
}

export interface StreamSubjectsProjectionOptions {
  /** Event types that name the employees a case concerns. */
  handles: readonly string[];
  /** The employee ids an event names (default: `employeesNamedBy(event.payload)`). */
  subjectsOf?: (event: StoredEvent) => readonly string[];
}

/**
 * `stream_subjects` as an event-store projection: pass it to `inlineProjections(...)` in the append
 * of case events, and to `rebuildProjection` to rebuild the table from the log.
 */
export function streamSubjectsProjection(options: StreamSubjectsProjectionOptions): Projection {
  return {
    name: 'stream_subjects',
    handles: options.handles,
    apply: (event, tx) =>
      recordStreamSubjects(
        tx,
        event.streamId,
        (options.subjectsOf ?? ((e) => employeesNamedBy(e.payload)))(event),
      ),
    reset: async (tx) => {
      await tx.query('DELETE FROM stream_subjects');
    },
  };
}
