import { setup } from 'xstate';

export type WaiverMachineEvent = { type: 'GRANT' } | { type: 'DENY' } | { type: 'WITHDRAW' };

/** Requirement waiver: requested -> granted | denied; withdrawn. */
export const waiverMachineV1 = setup({
  types: { events: {} as WaiverMachineEvent },
}).createMachine({
  id: 'waiver',
  version: 'waiver@1',
  initial: 'requested',
  states: {
    requested: { on: { GRANT: 'granted', DENY: 'denied', WITHDRAW: 'withdrawn' } },
    granted: { type: 'final' },
    denied: { type: 'final' },
    withdrawn: { type: 'final' },
  },
});
