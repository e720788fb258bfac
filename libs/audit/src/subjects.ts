import type { EntityManager, QueryRunner } from 'typeorm';
import type { Projection, StoredEvent } from '@talent/event-store';
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

export interface StreamSubjectsProjectionOptions {
  /** Event types that name the employees a case concerns. */
  handles: readonly string[];
  /** The employee ids an event names (e.g. `payload.employeeId`, a transfer's candidate). */
  subjectsOf: (event: StoredEvent) => readonly string[];
}

/**
 * `stream_subjects` as an event-store projection: pass it to `inlineProjections(...)` in the append
 * of case events, and to `rebuildProjection` to rebuild the table from the log.
 */
export function streamSubjectsProjection(options: StreamSubjectsProjectionOptions): Projection {
  return {
    name: 'stream_subjects',
    handles: options.handles,
    apply: (event, tx) => recordStreamSubjects(tx, event.streamId, options.subjectsOf(event)),
    reset: async (tx) => {
      await tx.query('DELETE FROM stream_subjects');
    },
  };
}
