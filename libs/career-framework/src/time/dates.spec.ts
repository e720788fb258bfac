import {
  addMonths,
  isIanaZone,
  isIsoDate,
  latestCompletedQuarter,
  previousQuarter,
  quarterEnd,
  quarterOf,
  quarterStart,
  wholeMonthsBetween,
} from './dates.js';

describe('calendar helpers', () => {
  it('validates ISO dates strictly', () => {
    expect(isIsoDate('2025-02-28')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-2-28')).toBe(false);
    expect(isIsoDate('2025-02-28T10:00:00Z')).toBe(false);
  });

  it('validates IANA time zones', () => {
    expect(isIanaZone('America/New_York')).toBe(true);
    expect(isIanaZone('UTC')).toBe(true);
    expect(isIanaZone('Mars/Olympus_Mons')).toBe(false);
  });

  it.each([
    ['2025-01-10', '2026-01-10', 12],
    ['2025-01-10', '2026-01-09', 11],
    ['2025-01-10', '2025-01-10', 0],
    ['2025-01-10', '2024-12-01', 0],
    ['2025-01-31', '2025-02-28', 1], // month ends clamp
    ['2025-01-31', '2025-02-27', 0],
    ['2024-02-29', '2025-02-28', 12],
    ['2023-04-17', '2025-04-16', 23],
    ['2023-04-17', '2025-04-17', 24],
  ])('whole months from %s to %s = %i', (from, to, months) => {
    expect(wholeMonthsBetween(from, to)).toBe(months);
  });

  it('adds months with month-end clamping', () => {
    expect(addMonths('2025-01-10', 12)).toBe('2026-01-10');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
  });

  it('knows quarters and when they complete (on their last day)', () => {
    expect(quarterOf('2025-11-15')).toBe('2025-Q4');
    expect(quarterStart('2025-Q4')).toBe('2025-10-01');
    expect(quarterEnd('2025-Q1')).toBe('2025-03-31');
    expect(quarterEnd('2024-Q1')).toBe('2024-03-31');
    expect(previousQuarter('2025-Q1')).toBe('2024-Q4');
    expect(latestCompletedQuarter('2025-12-31')).toBe('2025-Q4');
    expect(latestCompletedQuarter('2025-12-30')).toBe('2025-Q3');
    expect(latestCompletedQuarter('2026-01-01')).toBe('2025-Q4');
    expect(latestCompletedQuarter('2025-04-01')).toBe('2025-Q1');
  });
});
