import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { EmployeesModule } from '../employees/employees.module.js';
import { DecideCalibrationBatchHandler } from './decide-batch/decide-batch.command.js';
import { GetCalibrationHandler } from './get-calibration/get-calibration.query.js';

const commandHandlers = [DecideCalibrationBatchHandler];
const queryHandlers = [GetCalibrationHandler];

/** A review cycle's calibration: the evidence per promotion case, and HR's batch decisions. */
@Module({
  imports: [EmployeesModule, CasesModule],
  providers: [...commandHandlers, ...queryHandlers],
})
export class CalibrationModule {}
