/** Queues and job names of the scheduled work, shared by the relay (producer) and the worker. */
export const WORK_QUEUES = {
  /** Deadlines, reminders, escalations, windows and effective dates of cases. */
  timers: 'timers',
  /** Follow-up commands a committed event calls for (process managers). */
  effects: 'effects',
  /** Recurring schedules (review cycles opening per framework cadence). */
  schedules: 'schedules',
} as const;
export type WorkQueue = (typeof WORK_QUEUES)[keyof typeof WORK_QUEUES];

export interface CaseCommandJob {
  caseType?: string;
  caseId: string;
  action: string;
  payload: Record<string, unknown>;
}

export interface RecordFactJob {
  employeeId: string;
  type: string;
  data: Record<string, unknown>;
}

export interface CycleEligibilityJob {
  cycleId: string;
  frameworkId: string;
  frameworkVersion: number;
  asOf: string;
}

export interface OpenScheduledCycleJob {
  frameworkId: string;
}

export const JOB_NAMES = {
  caseTimer: 'case-timer',
  caseCommand: 'case-command',
  recordFact: 'record-fact',
  cycleEligibility: 'cycle-eligibility',
  openScheduledCycle: 'open-scheduled-cycle',
} as const;

/** Every (queue, job) pair the worker must handle exactly once; checked at start-up. */
export const DECLARED_JOBS: ReadonlyArray<{ queue: WorkQueue; name: string }> = [
  { queue: WORK_QUEUES.timers, name: JOB_NAMES.caseTimer },
  { queue: WORK_QUEUES.effects, name: JOB_NAMES.caseCommand },
  { queue: WORK_QUEUES.effects, name: JOB_NAMES.recordFact },
  { queue: WORK_QUEUES.effects, name: JOB_NAMES.cycleEligibility },
  { queue: WORK_QUEUES.schedules, name: JOB_NAMES.openScheduledCycle },
];

/** BullMQ job ids may not contain ':'; parts are joined with '__'. */
export function safeJobId(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9_.-]/g, '_')).join('__');
}
