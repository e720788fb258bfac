import 'reflect-metadata';
import { ConfigError, loadApiConfig } from '@talent/config';
import { installGracefulShutdown } from '@talent/infrastructure';
import { Logger } from 'nestjs-pino';
import { createApiApp } from './create-app.js';

async function main(): Promise<void> {
  const config = loadApiConfig();
  const app = await createApiApp(config);
  const logger = app.get(Logger);
  installGracefulShutdown(app, config.SHUTDOWN_TIMEOUT_MS, (m) => logger.log(m, 'Shutdown'));
  await app.listen(config.PORT);
  logger.log(`api listening on :${config.PORT} (OpenAPI at /docs)`, 'Bootstrap');
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`api failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
