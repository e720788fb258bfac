import { DateTime } from 'luxon';
import type { ReviewCadence } from './schema.js';
import { InvalidDateError } from '../errors.js';

/**
 * The next `count` review-cycle openings strictly after `after` (an ISO instant), as UTC ISO
 * instants. Each opening is the cadence's day and time in its own time zone, so a cycle opening
 * at 09:00 America/New_York is 14:00Z in winter and 13:00Z in summer.
 */
export function reviewCycleOpenings(cadence: ReviewCadence, after: string, count = 1): string[] {
  const start = DateTime.fromISO(after, { setZone: true });
  if (!start.isValid) throw new InvalidDateError(after);
  const [hour, minute] = cadence.time.split(':').map(Number);
  const months = [...cadence.months].sort((a, b) => a - b);
  const out: string[] = [];
  let year = start.setZone(cadence.timeZone).year - 1;
  while (out.length < count) {
    for (const month of months) {
      const at = DateTime.fromObject(
        { year, month, day: cadence.day, hour, minute },
        { zone: cadence.timeZone },
      );
      if (at > start && out.length < count) out.push(at.toUTC().toISO({ suppressMilliseconds: true }) ?? '');
    }
    year += 1;
  }
  return out;
}
