/** The current view of one employee, derived by folding their fact stream. */
export interface EmployeeDirectoryEntry {
  employeeId: string;
  name: string;
  email: string;
  team: string;
  managerId: string | null;
  frameworkId: string;
  track: string;
  roleId: string;
  hiredOn: string;
  version: number;
  updatedAt: string;
}

/** Anything that runs SQL: a DataSource, an EntityManager or a transaction's QueryRunner. */
export interface Sql {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

interface Raw {
  employee_id: string;
  name: string;
  email: string;
  team: string;
  manager_id: string | null;
  framework_id: string;
  track: string;
  role_id: string;
  hired_on: string;
  version: number;
  updated_at: Date;
}

const COLUMNS = `employee_id, name, email, team, manager_id, framework_id, track, role_id, to_char(hired_on, 'YYYY-MM-DD') AS hired_on, version, updated_at`;

function fromRaw(r: Raw): EmployeeDirectoryEntry {
  return {
    employeeId: r.employee_id,
    name: r.name,
    email: r.email,
    team: r.team,
    managerId: r.manager_id,
    frameworkId: r.framework_id,
    track: r.track,
    roleId: r.role_id,
    hiredOn: r.hired_on,
    version: r.version,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Inline projection: written in the append's transaction. Only moves forward in version. */
export async function upsertEmployee(sql: Sql, e: EmployeeDirectoryEntry): Promise<void> {
  await sql.query(
    `INSERT INTO employees (employee_id, name, email, team, manager_id, framework_id, track, role_id, hired_on, version, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (employee_id) DO UPDATE SET
       name = EXCLUDED.name, email = EXCLUDED.email, team = EXCLUDED.team, manager_id = EXCLUDED.manager_id,
       framework_id = EXCLUDED.framework_id, track = EXCLUDED.track, role_id = EXCLUDED.role_id,
       hired_on = EXCLUDED.hired_on, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
     WHERE employees.version < EXCLUDED.version`,
    [
      e.employeeId,
      e.name,
      e.email,
      e.team,
      e.managerId,
      e.frameworkId,
      e.track,
      e.roleId,
      e.hiredOn,
      e.version,
      e.updatedAt,
    ],
  );
}

export async function findEmployee(sql: Sql, employeeId: string): Promise<EmployeeDirectoryEntry | null> {
  const rows = (await sql.query(`SELECT ${COLUMNS} FROM employees WHERE employee_id = $1`, [
    employeeId,
  ])) as Raw[];
  return rows[0] ? fromRaw(rows[0]) : null;
}

export interface EmployeeFilter {
  team?: string;
  managerId?: string;
  frameworkId?: string;
  after?: string;
  limit: number;
}

export async function listEmployees(sql: Sql, f: EmployeeFilter): Promise<EmployeeDirectoryEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (f.team) add('team = ?', f.team);
  if (f.managerId) add('manager_id = ?', f.managerId);
  if (f.frameworkId) add('framework_id = ?', f.frameworkId);
  if (f.after) add('employee_id > ?', f.after);
  params.push(f.limit);
  const rows = (await sql.query(
    `SELECT ${COLUMNS} FROM employees ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY employee_id LIMIT $${params.length}`,
    params,
  )) as Raw[];
  return rows.map(fromRaw);
}

export async function clearEmployees(sql: Sql): Promise<void> {
  await sql.query('DELETE FROM employees');
}
