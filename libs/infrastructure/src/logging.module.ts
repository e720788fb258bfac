import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestIdOf } from './request-context.js';

/** Structured JSON logs (pino) carrying the request/correlation id on every line of a request. */
@Module({})
export class LoggingModule {
  static forRoot(options: { level: string; service: string }): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.level,
            base: { service: options.service },
            genReqId: (req: IncomingMessage, res: ServerResponse) => {
              const id = requestIdOf(req);
              res.setHeader('X-Request-Id', id);
              return id;
            },
            customProps: (req: IncomingMessage) => ({
              correlationId: (req as IncomingMessage & { id?: unknown }).id,
            }),
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
