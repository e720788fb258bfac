import { setup } from 'xstate';

export type TransferMachineEvent =
  | { type: 'ACKNOWLEDGE' }
  | { type: 'APPROVE' }
  | { type: 'REJECT' }
  | { type: 'APPROVAL_DEADLINE_PASSED' }
  | { type: 'AGREE_EFFECTIVE_DATE' }
  | { type: 'EFFECTIVE_DATE_REACHED' }
  | { type: 'COMPLETE' }
  | { type: 'WITHDRAW' };

/**
 * Cross-team transfer: requested -> acknowledgedByManager -> approvedByReceivingLeadership
 * (approval deadline runs while acknowledged) -> effectiveDateAgreed -> effective -> completed;
 * rejected / withdrawn / expired.
 */
export const transferMachineV1 = setup({
  types: { events: {} as TransferMachineEvent },
}).createMachine({
  id: 'transfer',
  version: 'transfer@1',
  initial: 'requested',
  states: {
    requested: { on: { ACKNOWLEDGE: 'acknowledgedByManager', WITHDRAW: 'withdrawn' } },
    acknowledgedByManager: {
      on: {
        APPROVE: 'approvedByReceivingLeadership',
        REJECT: 'rejected',
        APPROVAL_DEADLINE_PASSED: 'expired',
        WITHDRAW: 'withdrawn',
      },
    },
    approvedByReceivingLeadership: {
      on: { AGREE_EFFECTIVE_DATE: 'effectiveDateAgreed', WITHDRAW: 'withdrawn' },
    },
    effectiveDateAgreed: {
      on: {
        AGREE_EFFECTIVE_DATE: 'effectiveDateAgreed',
        EFFECTIVE_DATE_REACHED: 'effective',
        WITHDRAW: 'withdrawn',
      },
    },
    effective: { on: { COMPLETE: 'completed' } },
    completed: { type: 'final' },
    rejected: { type: 'final' },
    withdrawn: { type: 'final' },
    expired: { type: 'final' },
  },
});
