import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { ApiConfig } from '@talent/config';
import { AppModule } from './app.module.js';

/** Builds the HTTP application (used by main.ts and by the end-to-end tests). */
export async function createApiApp(config: ApiConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    abortOnError: false,
    rawBody: false,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', false);
  app.useBodyParser('json', { limit: '2mb' });
  app.useBodyParser('text', {
    limit: '6mb',
    type: ['text/csv', 'text/plain', 'application/yaml', 'text/yaml', 'application/x-yaml'],
  });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Talent review workflow engine')
      .setDescription(
        'Event-sourced promotion, team-lead, role-opening, transfer and waiver workflows. Every write returns the ' +
          'stream version as an ETag; send it back as If-Match to avoid lost updates, and an Idempotency-Key to retry safely.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
