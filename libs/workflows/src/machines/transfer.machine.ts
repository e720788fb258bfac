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

export type TransferMachineEventV2 =
  TransferMachineEvent | { type: 'REMIND_APPROVAL' } | { type: 'ESCALATION_DEADLINE_PASSED' };

/**
 * Cross-team transfer with reminders and escalation: requested -> acknowledgedByManager (reminders
 * before the approval deadline) -> approvalEscalated (deadline lapsed; still decidable until the
 * escalation deadline, then expired) -> approvedByReceivingLeadership -> effectiveDateAgreed ->
 * effective -> completed; rejected / withdrawn / expired.
 */
export const transferMachineV2 = setup({
  types: { events: {} as TransferMachineEventV2 },
}).createMachine({
  id: 'transfer',
  version: 'transfer@2',
  initial: 'requested',
  states: {
    requested: { on: { ACKNOWLEDGE: 'acknowledgedByManager', WITHDRAW: 'withdrawn' } },
    acknowledgedByManager: {
      on: {
        APPROVE: 'approvedByReceivingLeadership',
        REJECT: 'rejected',
        REMIND_APPROVAL: 'acknowledgedByManager',
        APPROVAL_DEADLINE_PASSED: 'approvalEscalated',
        WITHDRAW: 'withdrawn',
      },
    },
    approvalEscalated: {
      on: {
        APPROVE: 'approvedByReceivingLeadership',
        REJECT: 'rejected',
        ESCALATION_DEADLINE_PASSED: 'expired',
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
