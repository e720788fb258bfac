// Property: whatever command arrives, from whoever, with whatever payload, decide either refuses with
// a typed domain error (never a crash) or returns events that fold cleanly through the machine.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isDomainError } from './errors.js';
import type { Aggregate } from './common/kit.js';
import type { CaseStateBase } from './common/types.js';
import { AGGREGATES } from './registry.js';
import { Driver, type CaseScript } from './testing/harness.js';
import {
  designationScript,
  openingScript,
  promotionScript,
  reviewCycleScript,
  transferScript,
  waiverScript,
} from './testing/scripts.js';
import { people, type Person } from './testing/world.js';

const scripts: CaseScript[] = [
  reviewCycleScript,
  promotionScript('ic'),
  promotionScript('management'),
  designationScript,
  openingScript,
  transferScript,
  waiverScript,
];
const persons = Object.keys(people) as Person[];

describe.each(scripts.map((s) => [s.caseId, s] as const))('%s under random commands', (_id, script) => {
  const aggregate = AGGREGATES[script.caseType] as unknown as Aggregate<CaseStateBase>;
  const actions = aggregate.actions;

  it('refuses with typed errors or folds cleanly', () => {
    const move = fc.record({
      action: fc.constantFrom(...actions),
      who: fc.constantFrom(...persons),
      garbage: fc.oneof(fc.constant(undefined), fc.anything()),
    });
    fc.assert(
      fc.property(fc.array(move, { maxLength: 25 }), (moves) => {
        const driver = new Driver(aggregate, script);
        driver.create();
        for (const m of moves) {
          const before = driver.state!;
          const machineEvents = aggregate.machineEventsByAction[m.action] ?? [];
          const machineEvent = machineEvents[0] ?? '';
          try {
            if (m.garbage !== undefined) {
              const events = aggregate.decide(
                before,
                { type: m.action, caseId: script.caseId, payload: m.garbage },
                driver.ctx(m.action, m.who),
              );
              driver.state = aggregate.fold(events, before);
            } else {
              driver.run(m.action, machineEvent, m.who);
            }
          } catch (e) {
            if (!isDomainError(e)) throw e;
            expect(driver.state).toBe(before);
            continue;
          }
          const after = driver.state!;
          expect(after.version).toBeGreaterThan(before.version);
          expect(aggregate.snapshotOf(after).value).toBe(after.stage);
        }
      }),
      { numRuns: 150, seed: 20260105 },
    );
  });
});
