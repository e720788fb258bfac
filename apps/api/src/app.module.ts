import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { ApiConfig } from '@talent/config';
import { DatabaseModule, HealthModule, LoggingModule, RedisModule } from '@talent/infrastructure';
import {
  AuditModule,
  CalibrationModule,
  CasesModule,
  EmployeesModule,
  EventStoreModule,
  NotificationsModule,
} from '@talent/use-cases';
import { AuditController } from './audit/audit.controller.js';
import { AuthModule } from './auth/auth.module.js';
import { CalibrationController } from './calibration/calibration.controller.js';
import { CasesController } from './cases/cases.controller.js';
import { EmployeesController } from './employees/employees.controller.js';
import { FrameworksController } from './frameworks/frameworks.controller.js';
import { ProblemFilter } from './http/problem.filter.js';
import { NotificationsController } from './notifications/notifications.controller.js';

@Module({
  imports: [EmployeesModule, CasesModule, AuditModule, NotificationsModule, CalibrationModule],
  controllers: [
    FrameworksController,
    EmployeesController,
    CasesController,
    AuditController,
    NotificationsController,
    CalibrationController,
  ],
})
class HttpModule {}

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
        CqrsModule.forRoot(),
        EventStoreModule.forRoot({ appendSlots: config.EVENT_STORE_APPEND_SLOTS }),
        AuthModule.forRoot({
          secret: config.JWT_SECRET,
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
        }),
        HealthModule,
        HttpModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
