import type { z } from 'zod';

/** One validation problem, located by a path like `tracks[1].levels[2].requirements[0].months`. */
export interface Issue {
  path: string;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; errors: Issue[] };

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

export function issueToString(issue: Issue): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}

function zodMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  return issue.message.replace(/^Invalid input: /, '');
}

export function fromZodIssues(issues: ReadonlyArray<z.core.$ZodIssue>, prefix: PropertyKey[] = []): Issue[] {
  return issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    message: zodMessage(issue),
  }));
}
