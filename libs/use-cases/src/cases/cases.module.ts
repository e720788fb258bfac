import { Module } from '@nestjs/common';
import { EmployeesModule } from '../employees/employees.module.js';
import { ActOnCaseHandler } from './act-on-case/act-on-case.command.js';
import { CaseCommandService } from './case-command.service.js';
import { CaseContextBuilder } from './case-context.js';
import { CaseRepository } from './case-repository.js';
import { GetCaseHandler } from './get-case/get-case.query.js';
import { ListCasesHandler } from './list-cases/list-cases.query.js';
import { OpenCaseHandler } from './open-case/open-case.command.js';

const commandHandlers = [OpenCaseHandler, ActOnCaseHandler];
const queryHandlers = [GetCaseHandler, ListCasesHandler];
const services = [CaseRepository, CaseContextBuilder, CaseCommandService];

/** Promotion, team-lead designation, role opening, transfer, waiver and review-cycle cases. */
@Module({
  imports: [EmployeesModule],
  providers: [...services, ...commandHandlers, ...queryHandlers],
  exports: [...services],
})
export class CasesModule {}
