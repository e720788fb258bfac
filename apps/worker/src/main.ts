import 'reflect-metadata';
import { ConfigError, loadWorkerConfig } from '@talent/config';
import { installGracefulShutdown } from '@talent/infrastructure';
import { Logger } from 'nestjs-pino';
import { createWorkerApp } from './create-worker.js';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const app = await createWorkerApp(config);
  const logger = app.get(Logger);
  installGracefulShutdown(app, config.SHUTDOWN_TIMEOUT_MS, (m) => logger.log(m, 'Shutdown'));
  await app.listen(config.WORKER_HTTP_PORT);
  logger.log(
    `worker running; health on :${config.WORKER_HTTP_PORT}/health, metrics on /metrics, queues on /queues`,
    'Bootstrap',
  );
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(78);
  }
  process.stderr.write(
    `worker failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
