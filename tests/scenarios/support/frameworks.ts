import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFramework, issueToString } from '@talent/career-framework';
import type { FrameworkDocument } from '@talent/career-framework';

export const FRAMEWORK_FILES = {
  ce: 'ce-career-development.yaml',
  ladder: 'customer-engineering-ladder.yaml',
  icEquivalents: 'ic-ladder-management-equivalents.yaml',
} as const;

export function frameworkText(file: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../frameworks/${file}`, import.meta.url)), 'utf8');
}

/** Loads one of the seed frameworks from `frameworks/`, failing loudly with every issue. */
export function loadFramework(key: keyof typeof FRAMEWORK_FILES): FrameworkDocument {
  const result = parseFramework(frameworkText(FRAMEWORK_FILES[key]));
  if (!result.ok) throw new Error(result.errors.map(issueToString).join('\n'));
  return result.value;
}
