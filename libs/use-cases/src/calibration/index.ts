export * from './get-calibration/get-calibration.query.js';
export * from './decide-batch/decide-batch.command.js';
export * from './calibration.module.js';
