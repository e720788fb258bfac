import type { EmployeeFactEvent, EmployeeFactType } from './events.js';
import { EMPLOYEE_FACT_TYPES, employeeFactSchemas, isEmployeeFactType } from './events.js';
import { issueToString, fromZodIssues } from '../issues.js';

export interface CsvFactRow {
  /** 1-based line number where the row starts (the header is line 1). */
  line: number;
  fact: EmployeeFactEvent;
}

export interface CsvError {
  line: number;
  message: string;
}

export interface CsvParseResult {
  rows: CsvFactRow[];
  errors: CsvError[];
}

/** Columns each fact type reads, besides `type`, `employeeId` and `effectiveDate`. */
const FIELDS: Record<EmployeeFactType, readonly string[]> = {
  EmployeeHired: ['name', 'email', 'team', 'managerId', 'frameworkId', 'track', 'roleId'],
  LevelChanged: ['roleId', 'track', 'reason'],
  TeamChanged: ['team', 'managerId'],
  ManagerChanged: ['managerId'],
  TrackChanged: ['track', 'roleId'],
  QuarterlyRatingRecorded: ['quarter'],
  SmeSkillsetCertified: ['skillset'],
  CoachingEvidenceRecorded: ['description'],
  PeopleManagementExperienceRecorded: ['description', 'months'],
  PeerReviewRecorded: ['targetRoleId', 'outcome', 'date'],
  DesignationGranted: ['designation', 'team'],
  DesignationEnded: ['designation', 'team'],
};
const REQUIRED_COLUMNS = ['type', 'employeeId', 'effectiveDate'];
const KNOWN_COLUMNS = new Set([...REQUIRED_COLUMNS, ...Object.values(FIELDS).flat()]);
const RATING_PREFIX = 'rating.';
const NUMERIC = new Set(['months']);

interface CsvRecord {
  line: number;
  cells: string[];
}

/** RFC 4180 records: quoted cells may hold commas, doubled quotes and line breaks. */
function tokenize(text: string): { records: CsvRecord[]; errors: CsvError[] } {
  const records: CsvRecord[] = [];
  const errors: CsvError[] = [];
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let line = 1;
  let startLine = 1;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let wasQuoted = false;
  const endRecord = (): void => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0].trim() === '' && !wasQuoted))
      records.push({ line: startLine, cells });
    cells = [];
    cell = '';
    wasQuoted = false;
  };
  for (let i = 0; i < src.length; i += 1) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else quoted = false;
      } else {
        if (ch === '\n') line += 1;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell.trim() === '') {
      quoted = true;
      wasQuoted = true;
      cell = '';
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      startLine = line;
    } else cell += ch;
  }
  if (quoted) errors.push({ line: startLine, message: 'unterminated quoted cell' });
  if (cell !== '' || cells.length > 0 || wasQuoted) endRecord();
  return { records, errors };
}

/**
 * Parses a bulk import of employee facts: one fact per row, columns named by the header
 * (`type,employeeId,effectiveDate,...`; ratings as `rating.<competency>` columns). Empty cells
 * are absent values. Every bad row is reported with its line; good rows are returned. No I/O.
 */
export function parseFactsCsv(text: string): CsvParseResult {
  const { records, errors } = tokenize(text);
  const rows: CsvFactRow[] = [];
  const header = records[0];
  if (!header) {
    errors.push({
      line: 1,
      message: `empty file: expected a header row with ${REQUIRED_COLUMNS.join(', ')}`,
    });
    return { rows, errors };
  }
  const columns = header.cells.map((c) => c.trim());
  const headerErrors: string[] = [];
  for (const required of REQUIRED_COLUMNS) {
    if (!columns.includes(required)) headerErrors.push(`missing column "${required}"`);
  }
  columns.forEach((c, i) => {
    if (c === '') headerErrors.push(`column ${i + 1} has no name`);
    else if (columns.indexOf(c) !== i) headerErrors.push(`duplicate column "${c}"`);
    else if (!KNOWN_COLUMNS.has(c) && !(c.startsWith(RATING_PREFIX) && c.length > RATING_PREFIX.length)) {
      headerErrors.push(
        `unknown column "${c}"; expected ${[...KNOWN_COLUMNS].join(', ')} or rating.<competency>`,
      );
    }
  });
  if (headerErrors.length > 0) {
    errors.push(...headerErrors.map((message) => ({ line: header.line, message })));
    return { rows, errors };
  }
  for (const record of records.slice(1)) {
    if (record.cells.length !== columns.length) {
      errors.push({
        line: record.line,
        message: `expected ${columns.length} cells, found ${record.cells.length}`,
      });
      continue;
    }
    const cells = new Map<string, string>();
    columns.forEach((c, i) => {
      const value = record.cells[i].trim();
      if (value !== '') cells.set(c, value);
    });
    const type = cells.get('type') ?? '';
    if (!isEmployeeFactType(type)) {
      errors.push({
        line: record.line,
        message:
          type === ''
            ? 'type: required'
            : `type: unknown fact type "${type}"; expected one of ${EMPLOYEE_FACT_TYPES.join(', ')}`,
      });
      continue;
    }
    const allowed = new Set([...REQUIRED_COLUMNS, ...FIELDS[type]]);
    const rowErrors: string[] = [];
    const data: Record<string, unknown> = {};
    const ratings: Record<string, string> = {};
    for (const [column, value] of cells) {
      if (column === 'type') continue;
      if (column.startsWith(RATING_PREFIX)) {
        if (type === 'QuarterlyRatingRecorded') ratings[column.slice(RATING_PREFIX.length)] = value;
        else rowErrors.push(`${column}: not used by ${type}`);
      } else if (!allowed.has(column)) rowErrors.push(`${column}: not used by ${type}`);
      else if (NUMERIC.has(column)) {
        const n = Number(value);
        if (!/^\d+$/.test(value)) rowErrors.push(`${column}: expected a whole number, got "${value}"`);
        else data[column] = n;
      } else data[column] = value;
    }
    if (type === 'QuarterlyRatingRecorded') data.ratings = ratings;
    if (rowErrors.length === 0) {
      const parsed = employeeFactSchemas[type].safeParse(data);
      if (parsed.success) {
        rows.push({ line: record.line, fact: { type, data: parsed.data } as EmployeeFactEvent });
        continue;
      }
      rowErrors.push(
        ...fromZodIssues(parsed.error.issues).map((issue) =>
          issueToString({
            ...issue,
            path: issue.path.replace(/^ratings\./, RATING_PREFIX),
            message: issue.message.replace(/^expected string, received undefined$/, 'required'),
          }),
        ),
      );
    }
    errors.push(...rowErrors.map((message) => ({ line: record.line, message })));
  }
  return { rows, errors };
}
