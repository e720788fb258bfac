import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';

export const REDIS = Symbol('REDIS');

/**
 * A shared ioredis connection. Commands never depend on Redis (the event log is the truth), so the
 * client connects lazily and retries forever in the background instead of failing the process.
 */
@Global()
@Module({})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  static forRoot(url: string): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS,
          useFactory: () =>
            new Redis(url, {
              lazyConnect: false,
              maxRetriesPerRequest: null,
              enableOfflineQueue: false,
              retryStrategy: (times) => Math.min(times * 200, 5000),
            }).on('error', () => undefined),
        },
      ],
      exports: [REDIS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
