import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { decodeCursor, encodeCursor, filterFingerprint, type CursorKey } from './cursor.js';
import { InvalidFilterError } from './errors.js';
import { identifier, instant, optionalPeriod, pageLimit, period, uuid, type Instant } from './filters.js';
import { EVENT_COLUMNS, keyOf, toAuditEvent, type AuditEvent, type EventRow, type Page } from './rows.js';

/** Anything that runs plain SQL: a DataSource, an EntityManager or a QueryRunner (e.g. in a transaction). */
export type AuditDb = Pick<DataSource, 'query'> | Pick<EntityManager, 'query'> | Pick<QueryRunner, 'query'>;

export const CASE_STREAM_TYPES = [
  'promotion',
  'designation',
  'opening',
  'transfer',
  'waiver',
  'reviewCycle',
] as const;
export const EMPLOYEE_STREAM_TYPE = 'employee';

export function employeeStreamId(employeeId: string): string {
  return `employee-${employeeId}`;
}

/**
 * A compiled query: how to fetch one page after a key. Every page is ordered by a unique key so
 * keyset pagination never repeats or skips a row: `position`, or (`occurred_at`, `position`) for
 * the queries over a period (they walk the `(occurred_at, position)` index in order).
 */
export interface CompiledQuery {
  name: string;
  fingerprint: string;
  byTime: boolean;
  sql(key: CursorKey | null, limit: number): { text: string; values: unknown[] };
}

export interface RawPage {
  rows: EventRow[];
  more: boolean;
}

export async function fetchRawPage(
  db: AuditDb,
  q: CompiledQuery,
  key: CursorKey | null,
  limit: number,
): Promise<RawPage> {
  const { text, values } = q.sql(key, limit + 1);
  const rows = await (db as Pick<DataSource, 'query'>).query<EventRow[]>(text, values);
  const more = rows.length > limit;
  return { rows: more ? rows.slice(0, limit) : rows, more };
}

export function cursorKey(q: CompiledQuery, after: string | undefined | null): CursorKey | null {
  return after === undefined || after === null ? null : decodeCursor(after, q.name, q.fingerprint, q.byTime);
}

async function runPage<T>(
  db: AuditDb,
  q: CompiledQuery,
  after: string | undefined,
  limit: number | undefined,
  map: (r: EventRow) => T,
): Promise<Page<T>> {
  const n = pageLimit(limit);
  const key = cursorKey(q, after);
  const { rows, more } = await fetchRawPage(db, q, key, n);
  const last = rows[rows.length - 1];
  return {
    items: rows.map(map),
    nextCursor: more && last ? encodeCursor(q.name, q.fingerprint, keyOf(last, q.byTime)) : null,
  };
}

/** Adds `value` to `values` and returns its placeholder. */
function param(values: unknown[], value: unknown, cast = ''): string {
  values.push(value);
  return `$${values.length}${cast}`;
}

function afterClause(values: unknown[], key: CursorKey | null, byTime: boolean): string {
  if (!key) return '';
  if (byTime) {
    return ` AND (e.occurred_at, e.position) > (${param(values, key.occurredAt, '::timestamptz')}, ${param(values, key.position, '::bigint')})`;
  }
  return ` AND e.position > ${param(values, key.position, '::bigint')}`;
}

// ---------------------------------------------------------------------------------------------------
// Case history

export interface CaseHistoryOptions {
  after?: string;
  limit?: number;
}

export function compileCaseHistory(caseId: string): CompiledQuery {
  const id = uuid('caseId', caseId);
  return {
    name: 'caseHistory',
    fingerprint: filterFingerprint([id]),
    byTime: false,
    sql(key, limit) {
      const values: unknown[] = [];
      const text =
        `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.stream_id = ${param(values, id)}` +
        afterClause(values, key, false) +
        ` ORDER BY e.position LIMIT ${param(values, limit)}`;
      return { text, values };
    },
  };
}

/** Every event of a case, oldest first: who (id, role), when (occurred, recorded), why, what, hashes. */
export async function caseHistory(
  db: AuditDb,
  caseId: string,
  opts: CaseHistoryOptions = {},
): Promise<Page<AuditEvent>> {
  return runPage(db, compileCaseHistory(caseId), opts.after, opts.limit, toAuditEvent);
}

// ---------------------------------------------------------------------------------------------------
// Employee timeline

export interface EmployeeTimelineOptions {
  from?: Instant;
  to?: Instant;
  after?: string;
  limit?: number;
}

export function compileEmployeeTimeline(
  employeeId: string,
  opts: { from?: Instant; to?: Instant } = {},
): CompiledQuery {
  const id = identifier('employeeId', employeeId);
  const p = optionalPeriod(opts.from, opts.to);
  return {
    name: 'employeeTimeline',
    fingerprint: filterFingerprint([id, p.from, p.to]),
    byTime: false,
    sql(key, limit) {
      const values: unknown[] = [];
      const streamId = param(values, employeeStreamId(id));
      const emp = param(values, id);
      let inner = '';
      if (p.from) inner += ` AND e.occurred_at >= ${param(values, p.from, '::timestamptz')}`;
      if (p.to) inner += ` AND e.occurred_at < ${param(values, p.to, '::timestamptz')}`;
      inner += afterClause(values, key, false);
      const lim = param(values, limit);
      // One small ordered scan per stream (the employee's facts + each case about them), merged.
      const text = `
        WITH streams AS (
          SELECT ${streamId}::text AS stream_id
          UNION
          SELECT s.stream_id FROM stream_subjects s WHERE s.employee_id = ${emp}
        )
        SELECT x.* FROM streams
        CROSS JOIN LATERAL (
          SELECT ${EVENT_COLUMNS} FROM events e
          WHERE e.stream_id = streams.stream_id${inner}
          ORDER BY e.position LIMIT ${lim}
        ) x
        ORDER BY x.position::bigint LIMIT ${lim}`;
      return { text, values };
    },
  };
}

/**
 * Everything about one employee, in log order: their fact stream (`employee-<id>`) and every case
 * stream `stream_subjects` says concerns them. `from`/`to` bound `occurred_at` as [from, to).
 */
export async function employeeTimeline(
  db: AuditDb,
  employeeId: string,
  opts: EmployeeTimelineOptions = {},
): Promise<Page<AuditEvent>> {
  return runPage(db, compileEmployeeTimeline(employeeId, opts), opts.after, opts.limit, toAuditEvent);
}

// ---------------------------------------------------------------------------------------------------
// Actor activity

export interface ActorActivityOptions {
  from: Instant;
  to: Instant;
  after?: string;
  limit?: number;
}

export function compileActorActivity(actorId: string, opts: { from: Instant; to: Instant }): CompiledQuery {
  const id = identifier('actorId', actorId);
  const p = period(opts.from, opts.to);
  return {
    name: 'actorActivity',
    fingerprint: filterFingerprint([id, p.from, p.to]),
    byTime: true,
    sql(key, limit) {
      const values: unknown[] = [];
      // By time: a light actor is read through the actor index and sorted (a few rows); a heavy one
      // (`system`) walks the (occurred_at, position) index of the period and stops after one page.
      const text =
        `SELECT ${EVENT_COLUMNS} FROM events e WHERE (e.metadata ->> 'actorId') = ${param(values, id)}` +
        ` AND e.occurred_at >= ${param(values, p.from, '::timestamptz')}` +
        ` AND e.occurred_at < ${param(values, p.to, '::timestamptz')}` +
        afterClause(values, key, true) +
        ` ORDER BY e.occurred_at, e.position LIMIT ${param(values, limit)}`;
      return { text, values };
    },
  };
}

/** Everything one person (or `system`) did in [from, to), by occurrence time (then log position). */
export async function actorActivity(
  db: AuditDb,
  actorId: string,
  opts: ActorActivityOptions,
): Promise<Page<AuditEvent>> {
  return runPage(db, compileActorActivity(actorId, opts), opts.after, opts.limit, toAuditEvent);
}

// ---------------------------------------------------------------------------------------------------
// Approvals

/**
 * Which event types are decisions. An entry matches a type that ends with it, so `Approved` matches
 * `PromotionApproved`, and a whole type name matches only itself.
 */
export interface ApprovalVocabulary {
  approve: readonly string[];
  deny: readonly string[];
}

export const DEFAULT_APPROVAL_VOCABULARY: ApprovalVocabulary = Object.freeze({
  approve: Object.freeze(['Approved', 'Granted']),
  deny: Object.freeze(['Denied', 'Rejected']),
});

export interface Approval extends AuditEvent {
  /** approve: the event type matched an `approve` entry; deny: a `deny` entry. */
  outcome: 'approve' | 'deny';
}

export interface ApprovalsOptions {
  from: Instant;
  to: Instant;
  /** Only decisions taken by this actor. */
  approverId?: string;
  /** Case stream types to search (default: every case type). */
  streamTypes?: readonly string[];
  vocabulary?: ApprovalVocabulary;
  after?: string;
  limit?: number;
}

const TYPE_WORD = /^[A-Za-z][A-Za-z0-9]*$/;

function vocabularyOf(v: ApprovalVocabulary | undefined): ApprovalVocabulary {
  const voc = v ?? DEFAULT_APPROVAL_VOCABULARY;
  const all = [...(voc.approve ?? []), ...(voc.deny ?? [])];
  if (all.length === 0) throw new InvalidFilterError('vocabulary', 'names no event type');
  for (const w of all) {
    if (typeof w !== 'string' || !TYPE_WORD.test(w)) {
      throw new InvalidFilterError('vocabulary', `"${String(w)}" is not an event type word`);
    }
  }
  return voc;
}

function outcomeOf(voc: ApprovalVocabulary, type: string): 'approve' | 'deny' {
  return voc.deny.some((s) => type.endsWith(s)) ? 'deny' : 'approve';
}

export function compileApprovals(opts: Omit<ApprovalsOptions, 'after' | 'limit'>): CompiledQuery {
  const p = period(opts.from, opts.to);
  const approver = opts.approverId === undefined ? null : identifier('approverId', opts.approverId);
  const voc = vocabularyOf(opts.vocabulary);
  const streamTypes = [...(opts.streamTypes ?? CASE_STREAM_TYPES)];
  if (streamTypes.length === 0) throw new InvalidFilterError('streamTypes', 'is empty');
  for (const t of streamTypes) identifier('streamTypes', t);
  const patterns = [...voc.approve, ...voc.deny].map((w) => `%${w}`);
  return {
    name: 'approvals',
    fingerprint: filterFingerprint([p.from, p.to, approver, streamTypes.join(','), patterns.join(',')]),
    byTime: true,
    sql(key, limit) {
      const values: unknown[] = [];
      let text =
        `SELECT ${EVENT_COLUMNS} FROM events e` +
        ` WHERE e.occurred_at >= ${param(values, p.from, '::timestamptz')}` +
        ` AND e.occurred_at < ${param(values, p.to, '::timestamptz')}` +
        ` AND e.type LIKE ANY (${param(values, patterns, '::text[]')})` +
        ` AND e.stream_type = ANY (${param(values, streamTypes, '::text[]')})`;
      if (approver !== null) text += ` AND (e.metadata ->> 'actorId') = ${param(values, approver)}`;
      text +=
        afterClause(values, key, true) + ` ORDER BY e.occurred_at, e.position LIMIT ${param(values, limit)}`;
      return { text, values };
    },
  };
}

/** Who approved, granted, denied or rejected what, and when, in [from, to), by occurrence time. */
export async function approvals(db: AuditDb, opts: ApprovalsOptions): Promise<Page<Approval>> {
  const voc = vocabularyOf(opts.vocabulary);
  return runPage(db, compileApprovals(opts), opts.after, opts.limit, (r) => {
    const e = toAuditEvent(r);
    return { ...e, outcome: outcomeOf(voc, e.type) };
  });
}

// ---------------------------------------------------------------------------------------------------
// Waivers granted

export const WAIVER_GRANTED = 'WaiverGranted';

export interface WaiverGrant extends AuditEvent {
  requirementIds: string[];
}

export interface RequirementWaiverCount {
  requirementId: string;
  /** How many grants in the period waived this requirement. */
  count: number;
}

export interface WaiversGrantedPage extends Page<WaiverGrant> {
  /** Grants in the whole period (not just this page). */
  total: number;
  /** Per requirement id over the whole period, most waived first. */
  byRequirement: RequirementWaiverCount[];
}

export interface WaiversGrantedOptions {
  from: Instant;
  to: Instant;
  /** The event type of a grant (default `WaiverGranted`). */
  type?: string;
  /** The stream type waiver cases live in (default `waiver`): narrows the scan to those streams. */
  streamType?: string;
  after?: string;
  limit?: number;
}

function requirementIdsOf(payload: AuditEvent['payload']): string[] {
  const ids = payload.requirementIds;
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
}

export const WAIVER_STREAM_TYPE = 'waiver';

export function compileWaiversGranted(opts: {
  from: Instant;
  to: Instant;
  type?: string;
  streamType?: string;
}): CompiledQuery {
  const p = period(opts.from, opts.to);
  const type = identifier('type', opts.type ?? WAIVER_GRANTED);
  const streamType = identifier('streamType', opts.streamType ?? WAIVER_STREAM_TYPE);
  return {
    name: 'waiversGranted',
    fingerprint: filterFingerprint([p.from, p.to, type, streamType]),
    byTime: true,
    sql(key, limit) {
      const values: unknown[] = [];
      const text =
        `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.type = ${param(values, type)}` +
        ` AND e.stream_type = ${param(values, streamType)}` +
        ` AND e.occurred_at >= ${param(values, p.from, '::timestamptz')}` +
        ` AND e.occurred_at < ${param(values, p.to, '::timestamptz')}` +
        afterClause(values, key, true) +
        ` ORDER BY e.occurred_at, e.position LIMIT ${param(values, limit)}`;
      return { text, values };
    },
  };
}

/** Every waiver granted in [from, to) (paged, by time) with counts per requirement id over the period. */
export async function waiversGranted(db: AuditDb, opts: WaiversGrantedOptions): Promise<WaiversGrantedPage> {
  const q = compileWaiversGranted(opts);
  const n = pageLimit(opts.limit);
  const key = cursorKey(q, opts.after);
  const p = period(opts.from, opts.to);
  const values: unknown[] = [
    opts.type ?? WAIVER_GRANTED,
    opts.streamType ?? WAIVER_STREAM_TYPE,
    p.from,
    p.to,
    n + 1,
  ];
  const after = key
    ? `WHERE (g.occurred_at, g.position) > (${param(values, key.occurredAt, '::timestamptz')}, ${param(values, key.position, '::bigint')})`
    : '';
  // One scan of the period's grants serves the page, the total and the per-requirement counts;
  // the page's full rows are then fetched by primary key.
  const [summary] = await (db as Pick<DataSource, 'query'>).query<
    Array<{ total: number; counts: Record<string, number>; page: string[] | null }>
  >(
    `WITH grants AS MATERIALIZED (
       SELECT e.position, e.occurred_at, e.payload FROM events e
       WHERE e.type = $1 AND e.stream_type = $2
         AND e.occurred_at >= $3::timestamptz AND e.occurred_at < $4::timestamptz
     )
     SELECT
       (SELECT count(*) FROM grants)::int AS total,
       (SELECT coalesce(jsonb_object_agg(c.requirement_id, c.n), '{}'::jsonb) FROM (
          SELECT r.requirement_id, count(DISTINCT g.position)::int AS n
          FROM grants g
          CROSS JOIN LATERAL jsonb_array_elements_text(
            CASE WHEN jsonb_typeof(g.payload -> 'requirementIds') = 'array'
                 THEN g.payload -> 'requirementIds' ELSE '[]'::jsonb END) AS r(requirement_id)
          GROUP BY r.requirement_id) c) AS counts,
       (SELECT array_agg(x.position::text ORDER BY x.occurred_at, x.position) FROM (
          SELECT g.position, g.occurred_at FROM grants g ${after}
          ORDER BY g.occurred_at, g.position LIMIT $5) x) AS page`,
    values,
  );
  const positions = summary?.page ?? [];
  const rows = positions.length
    ? await (db as Pick<DataSource, 'query'>).query<EventRow[]>(
        `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.position = ANY ($1::bigint[]) ORDER BY e.occurred_at, e.position`,
        [positions],
      )
    : [];
  const more = rows.length > n;
  const items = more ? rows.slice(0, n) : rows;
  const last = items[items.length - 1];
  const byRequirement: RequirementWaiverCount[] = Object.entries(summary?.counts ?? {}).map(
    ([requirementId, count]) => ({ requirementId, count }),
  );
  byRequirement.sort((a, b) => b.count - a.count || (a.requirementId < b.requirementId ? -1 : 1));
  return {
    items: items.map((r) => {
      const e = toAuditEvent(r);
      return { ...e, requirementIds: requirementIdsOf(e.payload) };
    }),
    nextCursor: more && last ? encodeCursor(q.name, q.fingerprint, keyOf(last, true)) : null,
    total: summary?.total ?? 0,
    byRequirement,
  };
}

// ---------------------------------------------------------------------------------------------------
// Everything in a period / a whole stream (mostly for exports)

export function compilePeriod(opts: { from: Instant; to: Instant }): CompiledQuery {
  const p = period(opts.from, opts.to);
  return {
    name: 'period',
    fingerprint: filterFingerprint([p.from, p.to]),
    byTime: true,
    sql(key, limit) {
      const values: unknown[] = [];
      const text =
        `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.occurred_at >= ${param(values, p.from, '::timestamptz')}` +
        ` AND e.occurred_at < ${param(values, p.to, '::timestamptz')}` +
        afterClause(values, key, true) +
        ` ORDER BY e.occurred_at, e.position LIMIT ${param(values, limit)}`;
      return { text, values };
    },
  };
}

export function compileStream(streamId: string): CompiledQuery {
  const id = identifier('streamId', streamId);
  return {
    name: 'stream',
    fingerprint: filterFingerprint([id]),
    byTime: false,
    sql(key, limit) {
      const values: unknown[] = [];
      const text =
        `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.stream_id = ${param(values, id)}` +
        afterClause(values, key, false) +
        ` ORDER BY e.position LIMIT ${param(values, limit)}`;
      return { text, values };
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// As of

export interface AsOfOptions {
  /**
   * `occurred` (default): what had happened by the instant (occurred_at <= instant).
   * `recorded`: what the system knew at the instant (recorded_at <= instant).
   */
  basis?: 'occurred' | 'recorded';
}

/**
 * The events of one stream up to an instant, in stream order, for someone else's reducer to fold
 * into the state the case or employee had then.
 */
export async function streamEventsAsOf(
  db: AuditDb,
  streamId: string,
  asOf: Instant,
  opts: AsOfOptions = {},
): Promise<AuditEvent[]> {
  const id = identifier('streamId', streamId);
  const at = instant('asOf', asOf);
  const basis = opts.basis ?? 'occurred';
  if (basis !== 'occurred' && basis !== 'recorded') {
    throw new InvalidFilterError('basis', `must be "occurred" or "recorded" (got "${String(basis)}")`);
  }
  const column = basis === 'occurred' ? 'e.occurred_at' : 'e.recorded_at';
  const rows = await (db as Pick<DataSource, 'query'>).query<EventRow[]>(
    `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.stream_id = $1 AND ${column} <= $2::timestamptz ORDER BY e.stream_version`,
    [id, at],
  );
  return rows.map(toAuditEvent);
}
