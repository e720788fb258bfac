import { InvalidFilterError } from './errors.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

/** A point in time: a Date, or an ISO-8601 string with an explicit offset (`Z` or `+01:00`). */
export type Instant = Date | string;

/** Half-open period [from, to). */
export interface Period {
  from: Instant;
  to: Instant;
}

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new InvalidFilterError('limit', `must be a positive integer (got ${String(limit)})`);
  }
  return Math.min(limit, MAX_PAGE_SIZE);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Validates an instant and returns it as ISO text (ms precision, UTC). */
export function instant(field: string, value: Instant | undefined): string {
  if (value === undefined || value === null) throw new InvalidFilterError(field, 'is required');
  let d: Date;
  if (value instanceof Date) {
    d = value;
  } else if (typeof value === 'string') {
    if (!ISO_INSTANT.test(value)) {
      throw new InvalidFilterError(field, `must be an ISO-8601 instant with an offset (got "${value}")`);
    }
    d = new Date(value);
  } else {
    throw new InvalidFilterError(field, 'must be a Date or an ISO-8601 string');
  }
  if (Number.isNaN(d.getTime())) throw new InvalidFilterError(field, 'is not a valid date');
  return d.toISOString();
}

export function optionalInstant(field: string, value: Instant | undefined): string | null {
  return value === undefined || value === null ? null : instant(field, value);
}

export function period(from: Instant | undefined, to: Instant | undefined): { from: string; to: string } {
  const f = instant('from', from);
  const t = instant('to', to);
  if (f > t) throw new InvalidFilterError('to', `period ends (${t}) before it starts (${f})`);
  return { from: f, to: t };
}

export function optionalPeriod(
  from: Instant | undefined,
  to: Instant | undefined,
): { from: string | null; to: string | null } {
  const f = optionalInstant('from', from);
  const t = optionalInstant('to', to);
  if (f !== null && t !== null && f > t) {
    throw new InvalidFilterError('to', `period ends (${t}) before it starts (${f})`);
  }
  return { from: f, to: t };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuid(field: string, value: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw new InvalidFilterError(field, `must be a UUID (got "${String(value)}")`);
  }
  return value;
}

export function identifier(field: string, value: string | undefined): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200 || value.trim() !== value) {
    throw new InvalidFilterError(
      field,
      `must be a non-empty id without surrounding spaces (got "${String(value)}")`,
    );
  }
  return value;
}
