/**
 * Default deadline policy, as data. Commands may carry explicit deadlines; these apply otherwise.
 * Hours, so the worker and the core agree without a calendar library.
 */
export const DEADLINE_POLICY = {
  opening: {
    /** leadership has this long to approve a submitted documented need */
    approvalWindowHours: 7 * 24,
    /** reminders to the approvers, this many hours before the approval deadline */
    approvalReminderHoursBefore: [48, 24] as readonly number[],
    /** after the deadline lapses the need is escalated; it expires if still undecided this much later */
    escalationWindowHours: 72,
  },
  transfer: {
    /** the receiving team's leadership has this long to approve, counted from the manager's acknowledgement */
    approvalWindowHours: 14 * 24,
    /** reminders to the receiving leadership, this many hours before the approval deadline (transfer@2) */
    approvalReminderHoursBefore: [72, 24] as readonly number[],
    /** after the deadline lapses the transfer is escalated; it expires if still undecided this much later */
    escalationWindowHours: 5 * 24,
  },
  waiver: {
    /** leadership has this long to decide a requested requirement waiver (waiver@2) */
    approvalWindowHours: 72,
    /** a reminder to the deciders, this many hours before the approval deadline */
    approvalReminderHoursBefore: [24] as readonly number[],
    /** after the deadline lapses the waiver is escalated; it expires if still undecided this much later */
    escalationWindowHours: 48,
  },
} as const;
