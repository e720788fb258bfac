// Properties over generated dates: time-based requirements flip exactly once, on their due date,
// and eligibility never depends on anything but its input.
import fc from 'fast-check';
import { eligibility } from './eligibility.js';
import { parseFramework } from '../framework/parse.js';
import { testFramework } from '../framework/test-framework.js';
import { foldEmployeeFacts } from '../employee/record.js';
import { addMonths, wholeMonthsBetween } from '../time/dates.js';
import { DateTime } from 'luxon';

const isoDate = fc
  .date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const plusDays = (iso: string, days: number): string =>
  DateTime.fromISO(iso, { zone: 'utc' }).plus({ days }).toISODate()!;

const hire = (effectiveDate: string) =>
  foldEmployeeFacts([
    {
      type: 'EmployeeHired',
      data: {
        employeeId: 'p',
        name: 'P',
        email: 'p@example.com',
        team: 't',
        frameworkId: 'test-fw',
        track: 'core',
        roleId: 'junior',
        effectiveDate,
      },
    },
  ]);

describe('time properties', () => {
  it('minTimeAtLevel is met exactly from hire + N months on', () => {
    fc.assert(
      fc.property(
        isoDate,
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: -40, max: 40 }),
        (hiredOn, months, offset) => {
          const parsed = parseFramework(
            testFramework([{ id: 't', kind: 'minTimeAtLevel', months, atRank: 1 }]),
          );
          if (!parsed.ok) throw new Error('invalid');
          const due = addMonths(hiredOn, months);
          const asOf = plusDays(due, offset);
          const result = eligibility({
            framework: parsed.value,
            employee: hire(hiredOn),
            targetRoleId: 'senior',
            asOf,
          });
          expect(result.eligible).toBe(asOf >= due);
          if (asOf >= hiredOn) expect(result.requirements[0].evidence.dueOn).toBe(due);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('wholeMonthsBetween is monotonic and agrees with addMonths', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 0, max: 3000 }), (from, days) => {
        const to = plusDays(from, days);
        const n = wholeMonthsBetween(from, to);
        expect(addMonths(from, n) <= to).toBe(true);
        expect(addMonths(from, n + 1) > to).toBe(true);
        expect(wholeMonthsBetween(from, plusDays(to, 1))).toBeGreaterThanOrEqual(n);
      }),
      { numRuns: 500 },
    );
  });
});
