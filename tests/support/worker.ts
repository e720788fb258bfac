import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadWorkerConfig, type WorkerConfig } from '@talent/config';
import { createWorkerApp } from '../../apps/worker/src/create-worker.js';
import { TEST_JWT_SECRET } from './api.js';

export interface TestWorker {
  app: NestExpressApplication;
  config: WorkerConfig;
  prefix: string;
  close(): Promise<void>;
}

/** Boots a real worker (subscriptions, dispatcher, BullMQ processors) on a database, with its own queue prefix. */
export async function startTestWorker(
  databaseUrl: string,
  opts: { prefix?: string; redisUrl?: string; env?: Record<string, string>; pollMs?: number } = {},
): Promise<TestWorker> {
  const prefix = opts.prefix ?? `test-${randomBytes(4).toString('hex')}`;
  const config = loadWorkerConfig({
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '10',
    REDIS_URL: opts.redisUrl ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    JWT_SECRET: TEST_JWT_SECRET,
    WEBHOOK_SECRET: 'test-webhook-secret-0123',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    ...opts.env,
  });
  const app = await createWorkerApp(config, { queuePrefix: prefix, pollMs: opts.pollMs ?? 50 });
  await app.init();
  return {
    app,
    config,
    prefix,
    async close() {
      await app.close();
    },
  };
}

/** Polls until the check returns a value (not undefined/false), or fails with the last seen value. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until)
      throw new Error(
        `timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}
