import { Module, type DynamicModule } from '@nestjs/common';
import type { ApiConfig } from '@talent/config';
import { DatabaseModule, HealthModule, LoggingModule, RedisModule } from '@talent/infrastructure';
import { AuthModule } from './auth/auth.module.js';

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggingModule.forRoot({ level: config.LOG_LEVEL, service: 'api' }),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'talent-api',
        }),
        RedisModule.forRoot(config.REDIS_URL),
        AuthModule.forRoot({
          secret: config.JWT_SECRET,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
        HealthModule,
      ],
    };
  }
}
