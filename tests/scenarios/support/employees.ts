import { foldEmployeeFacts, issueToString, parseEmployeeFact } from '@talent/career-framework';
import type { EmployeeFactData, EmployeeFactEvent, EmployeeRecord, Rating } from '@talent/career-framework';

type Data<K extends EmployeeFactEvent['type']> = Omit<EmployeeFactData<K>, 'employeeId'>;

/** A small builder for an employee's fact stream (in recording order). */
export class EmployeeStory {
  readonly events: EmployeeFactEvent[] = [];

  constructor(
    readonly employeeId: string,
    hired: Omit<Data<'EmployeeHired'>, 'name' | 'email'> & { name?: string; email?: string },
  ) {
    this.events.push({
      type: 'EmployeeHired',
      data: { name: `Employee ${employeeId}`, email: `${employeeId}@example.com`, ...hired, employeeId },
    });
  }

  /** Appends a fact, validated with the lib's own schemas (so a story cannot hold an invalid fact). */
  add<K extends EmployeeFactEvent['type']>(type: K, data: Data<K>): this {
    const parsed = parseEmployeeFact(type, { ...data, employeeId: this.employeeId });
    if (!parsed.ok) throw new Error(parsed.errors.map(issueToString).join('\n'));
    this.events.push(parsed.value);
    return this;
  }

  /** Rates each named quarter with the same rating in every listed competency, effective the day after the quarter. */
  rate(quarters: string[], rating: Rating, competencies: string[]): this {
    for (const quarter of quarters) {
      const [year, q] = quarter.split('-Q').map(Number);
      const month = q * 3 + 1;
      const effectiveDate = month > 12 ? `${year + 1}-01-01` : `${year}-${String(month).padStart(2, '0')}-01`;
      this.add('QuarterlyRatingRecorded', {
        quarter,
        effectiveDate,
        ratings: Object.fromEntries(competencies.map((c) => [c, rating])),
      });
    }
    return this;
  }

  record(): EmployeeRecord {
    return foldEmployeeFacts(this.events);
  }
}
