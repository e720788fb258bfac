import { Module, type DynamicModule } from '@nestjs/common';
import type { WorkerConfig } from '@talent/config';
import { DatabaseModule, HealthModule, LoggingModule, RedisModule } from '@talent/infrastructure';

@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        LoggingModule.forRoot({ level: config.LOG_LEVEL, service: 'worker' }),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'talent-worker',
        }),
        RedisModule.forRoot(config.REDIS_URL),
        HealthModule,
      ],
    };
  }
}
