import type { AnyStateMachine } from 'xstate';
import { NotFoundError } from '../errors.js';
import type { CaseType } from '../common/types.js';
import { reviewCycleMachineV1 } from './review-cycle.machine.js';
import { promotionMachineV1 } from './promotion.machine.js';
import { designationMachineV1 } from './designation.machine.js';
import { openingMachineV1 } from './opening.machine.js';
import { transferMachineV1, transferMachineV2 } from './transfer.machine.js';
import { waiverMachineV1, waiverMachineV2 } from './waiver.machine.js';

export interface RegisteredMachine {
  version: string;
  caseType: CaseType;
  machine: AnyStateMachine;
}

/**
 * Every machine version ever shipped stays here: a case keeps the machine version it
 * started on (recorded in its creation event). Add `promotion@2` next to `promotion@1`;
 * never edit a released version in place.
 */
const REGISTERED: readonly RegisteredMachine[] = [
  { version: 'reviewCycle@1', caseType: 'reviewCycle', machine: reviewCycleMachineV1 },
  { version: 'promotion@1', caseType: 'promotion', machine: promotionMachineV1 },
  { version: 'designation@1', caseType: 'designation', machine: designationMachineV1 },
  { version: 'opening@1', caseType: 'opening', machine: openingMachineV1 },
  { version: 'transfer@1', caseType: 'transfer', machine: transferMachineV1 },
  { version: 'transfer@2', caseType: 'transfer', machine: transferMachineV2 },
  { version: 'waiver@1', caseType: 'waiver', machine: waiverMachineV1 },
  { version: 'waiver@2', caseType: 'waiver', machine: waiverMachineV2 },
];

/** The version new cases of each type start on. */
export const CURRENT_MACHINE_VERSION: Record<CaseType, string> = {
  reviewCycle: 'reviewCycle@1',
  promotion: 'promotion@1',
  designation: 'designation@1',
  opening: 'opening@1',
  transfer: 'transfer@2',
  waiver: 'waiver@2',
};

const BY_VERSION = new Map(REGISTERED.map((m) => [m.version, m]));

export function getMachine(version: string): AnyStateMachine {
  const m = BY_VERSION.get(version);
  if (!m) throw new NotFoundError('workflow machine version', version, 'MACHINE_VERSION_NOT_FOUND');
  return m.machine;
}

export function listMachines(): readonly RegisteredMachine[] {
  return REGISTERED;
}
