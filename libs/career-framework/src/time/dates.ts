import { DateTime, IANAZone } from 'luxon';

/** An ISO calendar date, `YYYY-MM-DD`. All rule dates are calendar dates in UTC. */
export type IsoDate = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

export function isIanaZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function toDate(iso: IsoDate): DateTime {
  const date = DateTime.fromISO(iso, { zone: 'utc' });
  if (!date.isValid) throw new RangeError(`not an ISO date: ${iso}`);
  return date.startOf('day');
}

export function formatDate(date: DateTime): IsoDate {
  return date.toISODate() ?? '';
}

export function addMonths(iso: IsoDate, months: number): IsoDate {
  return formatDate(toDate(iso).plus({ months }));
}

/**
 * Whole calendar months from `from` to `to` (0 when `to` is before `from`).
 * Exact at boundaries: 2025-01-10 -> 2026-01-10 is 12, -> 2026-01-09 is 11.
 * Month ends clamp like luxon's `plus({ months })`: 2025-01-31 -> 2025-02-28 is 1.
 */
export function wholeMonthsBetween(from: IsoDate, to: IsoDate): number {
  if (to < from) return 0;
  const start = toDate(from);
  const end = toDate(to);
  let months = Math.floor(end.diff(start, 'months').months);
  // luxon's fractional months can be off by one around month ends; correct by stepping.
  while (months > 0 && start.plus({ months }) > end) months -= 1;
  while (start.plus({ months: months + 1 }) <= end) months += 1;
  return months;
}

/** A calendar quarter, e.g. `2025-Q3`. */
export type QuarterId = string;

const QUARTER = /^(\d{4})-Q([1-4])$/;

export function isQuarterId(value: string): boolean {
  return QUARTER.test(value);
}

function quarterParts(quarter: QuarterId): { year: number; q: number } {
  const match = QUARTER.exec(quarter);
  if (!match) throw new RangeError(`not a quarter: ${quarter}`);
  return { year: Number(match[1]), q: Number(match[2]) };
}

export function quarterStart(quarter: QuarterId): IsoDate {
  const { year, q } = quarterParts(quarter);
  return formatDate(DateTime.utc(year, (q - 1) * 3 + 1, 1));
}

/** The last day of the quarter (inclusive), e.g. 2025-Q4 -> 2025-12-31. */
export function quarterEnd(quarter: QuarterId): IsoDate {
  const { year, q } = quarterParts(quarter);
  // Quarter ends are fixed calendar dates (only Q1 needs the year, and it always ends 03-31):
  // plain arithmetic, since this sits on the hot path of every eligibility evaluation.
  return `${String(year).padStart(4, '0')}-${['03-31', '06-30', '09-30', '12-31'][q - 1]}`;
}

export function previousQuarter(quarter: QuarterId): QuarterId {
  const { year, q } = quarterParts(quarter);
  return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
}

const quarterOfCache = new Map<IsoDate, QuarterId>();

export function quarterOf(iso: IsoDate): QuarterId {
  const known = quarterOfCache.get(iso);
  if (known) return known;
  const date = toDate(iso);
  const quarter: QuarterId = `${date.year}-Q${Math.floor((date.month - 1) / 3) + 1}`;
  if (quarterOfCache.size > 10_000) quarterOfCache.clear();
  quarterOfCache.set(iso, quarter);
  return quarter;
}

/**
 * The latest quarter that is complete as of `asOf`: a quarter is complete on its last
 * day (its end date <= asOf). On 2025-12-31 that is 2025-Q4; on 2025-12-30 it is 2025-Q3.
 */
export function latestCompletedQuarter(asOf: IsoDate): QuarterId {
  const current = quarterOf(asOf);
  return quarterEnd(current) <= asOf ? current : previousQuarter(current);
}
