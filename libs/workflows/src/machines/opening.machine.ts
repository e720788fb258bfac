import { setup } from 'xstate';

export type OpeningMachineEvent =
  | { type: 'SUBMIT' }
  | { type: 'APPROVE' }
  | { type: 'REJECT' }
  | { type: 'REMIND_APPROVAL' }
  | { type: 'APPROVAL_DEADLINE_PASSED' }
  | { type: 'ESCALATION_DEADLINE_PASSED' }
  | { type: 'INVITE' }
  | { type: 'APPLY' }
  | { type: 'APPLICATION_WINDOW_CLOSED' }
  | { type: 'START_INTERVIEWS' }
  | { type: 'SELECT_CANDIDATE' }
  | { type: 'FILL' }
  | { type: 'CANCEL' };

/**
 * Role opening (documented need): draft -> submitted (leadership approval; reminders before the
 * deadline) -> approvalEscalated (deadline lapsed; still decidable until the escalation deadline,
 * then expired) -> open -> applications -> applicationWindowClosed -> interviews -> candidateSelected
 * -> filled; rejected / cancelled / expired.
 */
export const openingMachineV1 = setup({
  types: { events: {} as OpeningMachineEvent },
}).createMachine({
  id: 'opening',
  version: 'opening@1',
  initial: 'draft',
  states: {
    draft: { on: { SUBMIT: 'submitted', CANCEL: 'cancelled' } },
    submitted: {
      on: {
        APPROVE: 'open',
        REJECT: 'rejected',
        REMIND_APPROVAL: 'submitted',
        APPROVAL_DEADLINE_PASSED: 'approvalEscalated',
        CANCEL: 'cancelled',
      },
    },
    approvalEscalated: {
      on: {
        APPROVE: 'open',
        REJECT: 'rejected',
        ESCALATION_DEADLINE_PASSED: 'expired',
        CANCEL: 'cancelled',
      },
    },
    open: { on: { INVITE: 'applications', CANCEL: 'cancelled' } },
    applications: {
      on: {
        INVITE: 'applications',
        APPLY: 'applications',
        APPLICATION_WINDOW_CLOSED: 'applicationWindowClosed',
        CANCEL: 'cancelled',
      },
    },
    applicationWindowClosed: { on: { START_INTERVIEWS: 'interviews', CANCEL: 'cancelled' } },
    interviews: { on: { SELECT_CANDIDATE: 'candidateSelected', CANCEL: 'cancelled' } },
    candidateSelected: { on: { FILL: 'filled', CANCEL: 'cancelled' } },
    filled: { type: 'final' },
    rejected: { type: 'final' },
    cancelled: { type: 'final' },
    expired: { type: 'final' },
  },
});
