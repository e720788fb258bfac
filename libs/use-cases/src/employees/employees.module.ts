import { Module } from '@nestjs/common';
import { FrameworkCatalogReader } from '../frameworks/framework-catalog.reader.js';
import { PublishFrameworkHandler } from '../frameworks/publish-framework/publish-framework.handler.js';
import { EligibilityContextReader } from './eligibility-context.js';
import { EmployeeRepository } from './employee-stream.js';
import { GetEmployeeHandler } from './get-employee.query.js';
import {
  EligibilityInputs,
  GetEligibilityHandler,
  GetNextRolesHandler,
} from './get-eligibility/get-eligibility.handler.js';
import { ImportFactsCsvHandler } from './import-facts-csv/import-facts-csv.handler.js';
import { EmployeeFactsWriter, RecordFactsHandler } from './record-facts/record-facts.handler.js';

const commandHandlers = [PublishFrameworkHandler, RecordFactsHandler, ImportFactsCsvHandler];
const queryHandlers = [GetEmployeeHandler, GetEligibilityHandler, GetNextRolesHandler];
const services = [
  EligibilityInputs,
  FrameworkCatalogReader,
  EmployeeRepository,
  EmployeeFactsWriter,
  EligibilityContextReader,
];

/** Career frameworks and employee facts: publishing, recording, importing, eligibility. */
@Module({
  providers: [...services, ...commandHandlers, ...queryHandlers],
  exports: [...services],
})
export class EmployeesModule {}
