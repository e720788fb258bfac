import { setup } from 'xstate';

export type ReviewCycleMachineEvent =
  | { type: 'OPEN' }
  | { type: 'NOMINATION_DEADLINE_PASSED' }
  | { type: 'START_CALIBRATION' }
  | { type: 'CALIBRATION_DEADLINE_PASSED' }
  | { type: 'DECIDE' }
  | { type: 'CLOSE' }
  | { type: 'CANCEL' };

/** Review cycle (HR): draft -> openForNominations -> calibration -> decided -> closed (+ cancelled). */
export const reviewCycleMachineV1 = setup({
  types: { events: {} as ReviewCycleMachineEvent },
}).createMachine({
  id: 'reviewCycle',
  version: 'reviewCycle@1',
  initial: 'draft',
  states: {
    draft: { on: { OPEN: 'openForNominations', CANCEL: 'cancelled' } },
    openForNominations: {
      on: {
        NOMINATION_DEADLINE_PASSED: 'calibration',
        START_CALIBRATION: 'calibration',
        CANCEL: 'cancelled',
      },
    },
    calibration: {
      on: { DECIDE: 'decided', CALIBRATION_DEADLINE_PASSED: 'decided', CANCEL: 'cancelled' },
    },
    decided: { on: { CLOSE: 'closed' } },
    closed: { type: 'final' },
    cancelled: { type: 'final' },
  },
});
