import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { EmployeesModule } from '../employees/employees.module.js';
import { CycleEligibilityService } from './cycle-eligibility.service.js';
import { NotificationPlanner } from './notification-planner.js';
import { RelayPlanner } from './relay-planner.js';
import { ScheduledJobRunner } from './scheduled-job.runner.js';

const services = [RelayPlanner, ScheduledJobRunner, CycleEligibilityService, NotificationPlanner];

/** What committed events call for downstream, and how scheduled jobs run (used by the worker). */
@Module({
  imports: [EmployeesModule, CasesModule],
  providers: services,
  exports: [...services, EmployeesModule, CasesModule],
})
export class ScheduledWorkModule {}
