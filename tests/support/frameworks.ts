import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { TestApi } from './api.js';

export const FRAMEWORK_DIR = join(process.cwd(), 'frameworks');

/** Publishes every seed framework over HTTP as HR (YAML bodies), as a real HR user would. */
export async function publishSeedFrameworks(api: TestApi): Promise<string[]> {
  const hr = api.token({ userId: 'hr-loader', roles: ['hr'], team: null });
  const ids: string[] = [];
  for (const file of readdirSync(FRAMEWORK_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const res = await request(api.app.getHttpServer())
      .post('/frameworks')
      .set('Authorization', `Bearer ${hr}`)
      .set('Content-Type', 'application/yaml')
      .send(readFileSync(join(FRAMEWORK_DIR, file), 'utf8'));
    if (res.status !== 201)
      throw new Error(`publishing ${file} failed: ${res.status} ${JSON.stringify(res.body)}`);
    ids.push((res.body as { frameworkId: string }).frameworkId);
  }
  return ids;
}
