import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadApiConfig, type ApiConfig } from '@talent/config';
import { createApiApp } from '../../apps/api/src/create-app.js';
import { TokenService } from '../../apps/api/src/auth/token.service.js';
import type { Actor } from '../../apps/api/src/auth/actor.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-0123456789';

export interface TestApi {
  app: NestExpressApplication;
  db: TestDatabase;
  config: ApiConfig;
  token(actor: Actor): string;
  close(): Promise<void>;
}

/** Boots the real API against a fresh database and the local Redis. */
export async function startTestApi(overrides: Record<string, string> = {}): Promise<TestApi> {
  const db = await createTestDatabase();
  const config = loadApiConfig({
    DATABASE_URL: db.url,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    ...overrides,
  });
  const app = await createApiApp(config);
  await app.init();
  const tokens = app.get(TokenService);
  return {
    app,
    db,
    config,
    token: (actor) => tokens.mint(actor),
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
