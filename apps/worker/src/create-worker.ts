import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { WorkerConfig } from '@talent/config';
import { boardAuth, queueBoardRouter } from './ops/queue-board.js';
import { WorkQueues } from './queues/work-queues.js';
import { WorkerModule, type WorkerOptions } from './worker.module.js';

/** Builds the worker process: subscriptions, dispatcher, processors, schedules, health, metrics, board. */
export async function createWorkerApp(
  config: WorkerConfig,
  options: WorkerOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(WorkerModule.forRoot(config, options), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const queues = app.get(WorkQueues);
  app.use('/queues', boardAuth(config.JWT_SECRET), queueBoardRouter(queues.all(), '/queues'));
  return app;
}
