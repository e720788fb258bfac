import { setup } from 'xstate';

export type DesignationMachineEvent =
  | { type: 'BEGIN_PEER_REVIEW' }
  | { type: 'PEER_REVIEW_PASSED' }
  | { type: 'PEER_REVIEW_FAILED' }
  | { type: 'APPROVE' }
  | { type: 'REJECT' }
  | { type: 'END' }
  | { type: 'WITHDRAW' };

/** Team-lead designation: nominated -> peerReview -> leadershipApproval -> designated -> ended; rejected / withdrawn. */
export const designationMachineV1 = setup({
  types: { events: {} as DesignationMachineEvent },
}).createMachine({
  id: 'designation',
  version: 'designation@1',
  initial: 'nominated',
  states: {
    nominated: { on: { BEGIN_PEER_REVIEW: 'peerReview', WITHDRAW: 'withdrawn' } },
    peerReview: {
      on: { PEER_REVIEW_PASSED: 'leadershipApproval', PEER_REVIEW_FAILED: 'rejected', WITHDRAW: 'withdrawn' },
    },
    leadershipApproval: { on: { APPROVE: 'designated', REJECT: 'rejected', WITHDRAW: 'withdrawn' } },
    designated: { on: { END: 'ended' } },
    ended: { type: 'final' },
    rejected: { type: 'final' },
    withdrawn: { type: 'final' },
  },
});
