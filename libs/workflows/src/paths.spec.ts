// Model-based tests: every simple path of every machine, driven through decide/evolve.
import { describe, expect, it } from '@jest/globals';
import type { AnyStateMachine } from 'xstate';
import { getSimplePaths } from 'xstate/graph';
import { StageConflictError } from './errors.js';
import type { Aggregate } from './common/kit.js';
import type { CaseStateBase } from './common/types.js';
import { getMachine, listMachines, CURRENT_MACHINE_VERSION } from './machines/registry.js';
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

interface Model {
  name: string;
  script: CaseScript;
  input?: unknown;
}

const currentModels: Model[] = [
  { name: 'review cycle', script: reviewCycleScript },
  {
    name: 'promotion (IC path)',
    script: promotionScript('ic'),
    input: { requiresLeadershipApproval: false },
  },
  {
    name: 'promotion (management path)',
    script: promotionScript('management'),
    input: { requiresLeadershipApproval: true },
  },
  { name: 'team-lead designation', script: designationScript },
  { name: 'role opening', script: openingScript },
  { name: 'cross-team transfer', script: transferScript },
  { name: 'requirement waiver', script: waiverScript },
];

/** every registered machine version: cases keep the version they started on, so old ones must still run */
const models: Array<Model & { version: string }> = currentModels.flatMap((m) =>
  listMachines()
    .filter((r) => r.caseType === m.script.caseType)
    .map((r) => ({ ...m, name: `${m.name} (${r.version})`, version: r.version })),
);

interface PathModel {
  target: string;
  steps: Array<{ event: string; stage: string }>;
}

function pathsOf(machine: AnyStateMachine, input: unknown): PathModel[] {
  return getSimplePaths(machine, input === undefined ? {} : { input }).map((p) => ({
    target: String(p.state.value),
    steps: p.steps
      .filter((s) => !s.event.type.startsWith('xstate.'))
      .map((s) => ({ event: s.event.type, stage: String(s.state.value) })),
  }));
}

/** every action whose machine events the stage cannot take must be refused with 409 and no events */
function expectRefusalsOutside(driver: Driver<CaseStateBase>): number {
  const aggregate = driver.aggregate;
  const state = driver.state!;
  const snapshot = aggregate.snapshotOf(state);
  let refused = 0;
  for (const [action, machineEvents] of Object.entries(aggregate.machineEventsByAction)) {
    if (machineEvents.some((type) => snapshot.can({ type }))) continue;
    let events: unknown[] | undefined;
    let error: unknown;
    try {
      events = aggregate.decide(state, driver.command(action, machineEvents[0]), driver.ctx(action));
    } catch (e) {
      error = e;
    }
    expect(events).toBeUndefined();
    expect(error).toBeInstanceOf(StageConflictError);
    const conflict = error as StageConflictError;
    expect(conflict.httpStatus).toBe(409);
    expect(conflict.stage).toBe(state.stage);
    expect(conflict.allowedStages).not.toContain(state.stage);
    expect(conflict.message).toContain(`is in stage '${state.stage}'; '${action}' is only allowed in:`);
    refused += 1;
  }
  return refused;
}

describe.each(models)('$name: every simple path through decide/evolve', ({ script, input, version }) => {
  const aggregate = AGGREGATES[script.caseType] as unknown as Aggregate<CaseStateBase>;
  const machine = getMachine(version);
  const isCurrent = version === CURRENT_MACHINE_VERSION[script.caseType];
  const paths = pathsOf(machine, input);

  it('has paths to every stage the machine can reach', () => {
    const reached = new Set(paths.map((p) => p.target));
    expect(reached.size).toBeGreaterThan(2);
    expect(paths.length).toBeGreaterThanOrEqual(reached.size);
  });

  it.each(paths.map((p) => [p.steps.map((s) => s.event).join(' > ') || '(initial)', p] as const))(
    '%s',
    (_label, path) => {
      const driver = new Driver(aggregate, script, isCurrent ? undefined : version);
      const created = driver.create();
      expect(created.stage).toBe(machine.config.initial as string);
      expect(created.machineVersion).toBe(version);
      expectRefusalsOutside(driver);
      for (const step of path.steps) {
        const action = driver.actionFor(step.event);
        const before = driver.state!;
        const events = driver.run(action, step.event);
        expect(events.length).toBeGreaterThan(0);
        for (const e of events) {
          expect(e.schemaVersion).toBe(1);
          expect(e.caseId).toBe(script.caseId);
          expect(e.meta.requestId).toBe('req-1');
          expect(aggregate.eventSchemas[e.type].safeParse(e.payload).success).toBe(true);
        }
        expect(driver.state!.stage).toBe(step.stage);
        expect(driver.state!.version).toBe(before.version + events.length);
        // data-only self-transitions that later steps depend on
        // (older versions may lack a stage's extra, e.g. transfer@1 has no approval reminders)
        const extras = (script.onEnter?.[step.stage] ?? []).filter(
          (extra) =>
            isCurrent ||
            (aggregate.machineEventsByAction[extra] ?? []).some((type) =>
              aggregate.snapshotOf(driver.state!).can({ type }),
            ),
        );
        for (const extra of extras) {
          driver.run(extra);
          expect(driver.state!.stage).toBe(step.stage);
        }
        expectRefusalsOutside(driver);
      }
      expect(driver.state!.stage).toBe(path.target);
      // replaying the whole stream gives the same state
      expect(aggregate.fold(driver.events)).toEqual(driver.state);
    },
  );
});
