import type { Sql } from './employee-directory.js';
/** One row per case: what lists, filters and "waiting on me" read. The full state is kept as JSON. */
export interface CaseListEntry {
  caseId: string;
  caseType: string;
  stage: string;
  employeeId: string | null;
  team: string | null;
  receivingTeam: string | null;
  cycleId: string | null;
  openingId: string | null;
  targetRoleId: string | null;
  frameworkId: string | null;
  frameworkVersion: number | null;
  machineVersion: string;
  requesterId: string | null;
  /** Who must act now: user ids and/or `role:<role>` / `role:<role>@<team>` entries. */
  waitingOn: string[];
  /**
   * `<token>!user:<id>`: that user matches the token but may take none of the actions behind it
   * (a requester may not approve their own request, an employee may not decide their own case).
   */
  waitingExcept: string[];
  version: number;
  openedAt: string;
  updatedAt: string;
  state: unknown;
}

interface Raw {
  case_id: string;
  case_type: string;
  stage: string;
  employee_id: string | null;
  team: string | null;
  receiving_team: string | null;
  cycle_id: string | null;
  opening_id: string | null;
  target_role_id: string | null;
  framework_id: string | null;
  framework_version: number | null;
  machine_version: string;
  requester_id: string | null;
  waiting_on: string[];
  waiting_except: string[];
  version: number;
  opened_at: Date;
  updated_at: Date;
  state: unknown;
}

function fromRaw(r: Raw): CaseListEntry {
  return {
    caseId: r.case_id,
    caseType: r.case_type,
    stage: r.stage,
    employeeId: r.employee_id,
    team: r.team,
    receivingTeam: r.receiving_team,
    cycleId: r.cycle_id,
    openingId: r.opening_id,
    targetRoleId: r.target_role_id,
    frameworkId: r.framework_id,
    frameworkVersion: r.framework_version,
    machineVersion: r.machine_version,
    requesterId: r.requester_id,
    waitingOn: r.waiting_on,
    waitingExcept: r.waiting_except,
    version: r.version,
    openedAt: r.opened_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    state: r.state,
  };
}

export async function upsertCase(sql: Sql, c: CaseListEntry): Promise<void> {
  await sql.query(
    `INSERT INTO cases (case_id, case_type, stage, employee_id, team, receiving_team, cycle_id, opening_id, target_role_id,
                        framework_id, framework_version, machine_version, requester_id, waiting_on, version, opened_at, updated_at, state,
                        waiting_except)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
     ON CONFLICT (case_id) DO UPDATE SET
       stage = EXCLUDED.stage, employee_id = EXCLUDED.employee_id, team = EXCLUDED.team, receiving_team = EXCLUDED.receiving_team,
       cycle_id = EXCLUDED.cycle_id, opening_id = EXCLUDED.opening_id, target_role_id = EXCLUDED.target_role_id,
       framework_id = EXCLUDED.framework_id, framework_version = EXCLUDED.framework_version,
       machine_version = EXCLUDED.machine_version, requester_id = EXCLUDED.requester_id, waiting_on = EXCLUDED.waiting_on, waiting_except = EXCLUDED.waiting_except,
       version = EXCLUDED.version, updated_at = EXCLUDED.updated_at, state = EXCLUDED.state
     WHERE cases.version < EXCLUDED.version`,
    [
      c.caseId,
      c.caseType,
      c.stage,
      c.employeeId,
      c.team,
      c.receivingTeam,
      c.cycleId,
      c.openingId,
      c.targetRoleId,
      c.frameworkId,
      c.frameworkVersion,
      c.machineVersion,
      c.requesterId,
      c.waitingOn,
      c.version,
      c.openedAt,
      c.updatedAt,
      JSON.stringify(c.state),
      c.waitingExcept,
    ],
  );
}

export async function findCase(sql: Sql, caseId: string): Promise<CaseListEntry | null> {
  const rows = (await sql.query('SELECT * FROM cases WHERE case_id = $1', [caseId])) as Raw[];
  return rows[0] ? fromRaw(rows[0]) : null;
}

export interface CaseFilter {
  caseType?: string;
  stage?: string;
  employeeId?: string;
  team?: string;
  cycleId?: string;
  /**
   * "Waiting on me": the caller's tokens, one of which is in waiting_on without an exception for the
   * caller (`me`, as `user:<id>`).
   */
  waitingOn?: { tokens: string[]; me: string };
  /** Restrict to rows visible to the caller: employee ids, teams (OR-ed); undefined = everything. */
  visibleTo?: { employeeIds: string[]; teams: string[]; userId: string; publicTypes: string[] };
  after?: { updatedAt: string; caseId: string };
  limit: number;
}

export async function listCases(sql: Sql, f: CaseFilter): Promise<CaseListEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (f.caseType) where.push(`case_type = ${p(f.caseType)}`);
  if (f.stage) where.push(`stage = ${p(f.stage)}`);
  if (f.employeeId) where.push(`employee_id = ${p(f.employeeId)}`);
  if (f.team) where.push(`(team = ${p(f.team)} OR receiving_team = $${params.length})`);
  if (f.cycleId) where.push(`cycle_id = ${p(f.cycleId)}`);
  if (f.waitingOn) {
    const tokens = p(f.waitingOn.tokens);
    const me = p(f.waitingOn.me);
    where.push(
      `waiting_on && ${tokens}::text[] AND EXISTS (SELECT 1 FROM unnest(waiting_on) AS t(token)` +
        ` WHERE t.token = ANY(${tokens}::text[]) AND NOT (t.token || '!' || ${me}::text) = ANY(waiting_except))`,
    );
  }
  if (f.visibleTo) {
    where.push(
      `(employee_id = ANY(${p(f.visibleTo.employeeIds)}::text[]) OR team = ANY(${p(f.visibleTo.teams)}::text[])` +
        ` OR receiving_team = ANY($${params.length}::text[]) OR requester_id = ${p(f.visibleTo.userId)}` +
        ` OR case_type = ANY(${p(f.visibleTo.publicTypes)}::text[]))`,
    );
  }
  if (f.after)
    where.push(`(updated_at, case_id) < (${p(f.after.updatedAt)}::timestamptz, ${p(f.after.caseId)}::uuid)`);
  const rows = (await sql.query(
    `SELECT * FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC, case_id DESC LIMIT ${p(f.limit)}`,
    params,
  )) as Raw[];
  return rows.map(fromRaw);
}

export async function clearCases(sql: Sql): Promise<void> {
  await sql.query('DELETE FROM cases');
}
