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

export type WaiverMachineEventV2 =
  | WaiverMachineEvent
  | { type: 'REMIND_APPROVAL' }
  | { type: 'APPROVAL_DEADLINE_PASSED' }
  | { type: 'ESCALATION_DEADLINE_PASSED' };

/**
 * Requirement waiver with an approval deadline: requested (reminders before the deadline) ->
 * approvalEscalated (deadline lapsed; still decidable until the escalation deadline, then expired)
 * -> granted | denied; withdrawn.
 */
export const waiverMachineV2 = setup({
  types: { events: {} as WaiverMachineEventV2 },
}).createMachine({
  id: 'waiver',
  version: 'waiver@2',
  initial: 'requested',
  states: {
    requested: {
      on: {
        GRANT: 'granted',
        DENY: 'denied',
        WITHDRAW: 'withdrawn',
        REMIND_APPROVAL: 'requested',
        APPROVAL_DEADLINE_PASSED: 'approvalEscalated',
      },
    },
    approvalEscalated: {
      on: {
        GRANT: 'granted',
        DENY: 'denied',
        WITHDRAW: 'withdrawn',
        ESCALATION_DEADLINE_PASSED: 'expired',
      },
    },
    granted: { type: 'final' },
    denied: { type: 'final' },
    withdrawn: { type: 'final' },
    expired: { type: 'final' },
  },
});
