import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { EmployeesModule } from '../employees/employees.module.js';
import { GetActorActivityHandler } from './actor-activity/actor-activity.query.js';
import { GetApprovalsHandler } from './approvals/approvals.query.js';
import { AsOfContext } from './as-of-context.js';
import { AuditAccess } from './audit-access.js';
import { GetCaseAsOfHandler } from './case-as-of/case-as-of.query.js';
import { GetCaseHistoryHandler } from './case-history/case-history.query.js';
import { GetEmployeeAsOfHandler } from './employee-as-of/employee-as-of.query.js';
import { GetEmployeeTimelineHandler } from './employee-timeline/employee-timeline.query.js';
import { ExportAuditHandler } from './export-audit/export-audit.query.js';
import { VerifyAuditChainsHandler } from './verify-chains/verify-chains.query.js';
import { GetWaiversGrantedHandler } from './waivers-granted/waivers-granted.query.js';

const queryHandlers = [
  GetCaseHistoryHandler,
  GetEmployeeTimelineHandler,
  GetActorActivityHandler,
  GetApprovalsHandler,
  GetWaiversGrantedHandler,
  GetCaseAsOfHandler,
  GetEmployeeAsOfHandler,
  ExportAuditHandler,
  VerifyAuditChainsHandler,
];
const services = [AuditAccess, AsOfContext];

/** Read-only audit queries: histories, timelines, activity, approvals, waivers, as-of, export, proof. */
@Module({
  imports: [EmployeesModule, CasesModule],
  providers: [...services, ...queryHandlers],
})
export class AuditModule {}
