import type { Job } from 'bullmq';

/**
 * Every job the worker runs is named here with exactly one handler; `assertJobWiring` fails start-up
 * when a declared job has no handler or two (Immich's habit), so a typo cannot silently drop work.
 */
export type QueueName = string;

export type JobHandler = (job: Job) => Promise<unknown>;

export interface JobDefinition {
  queue: QueueName;
  name: string;
  handler: JobHandler;
}

export function assertJobWiring(
  declared: ReadonlyArray<{ queue: QueueName; name: string }>,
  handlers: readonly JobDefinition[],
): void {
  const problems: string[] = [];
  for (const d of declared) {
    const count = handlers.filter((h) => h.queue === d.queue && h.name === d.name).length;
    if (count === 0) problems.push(`job ${d.queue}/${d.name} has no handler`);
    if (count > 1) problems.push(`job ${d.queue}/${d.name} has ${count} handlers`);
  }
  for (const h of handlers) {
    if (!declared.some((d) => d.queue === h.queue && d.name === h.name))
      problems.push(`handler for undeclared job ${h.queue}/${h.name}`);
  }
  if (problems.length) throw new Error(`job wiring is broken:\n  - ${problems.join('\n  - ')}`);
}
