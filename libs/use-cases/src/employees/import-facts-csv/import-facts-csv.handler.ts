import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { parseFactsCsv } from '@talent/career-framework';
import { InvalidInputError, isDomainError } from '@talent/workflows';
import { EmployeeFactsWriter } from '../record-facts/record-facts.handler.js';
import {
  ImportFactsCsvCommand,
  type ImportFactsCsvResult,
  type ImportRowReport,
} from './import-facts-csv.command.js';

const MAX_BYTES = 5 * 1024 * 1024;

@CommandHandler(ImportFactsCsvCommand)
export class ImportFactsCsvHandler implements ICommandHandler<ImportFactsCsvCommand, ImportFactsCsvResult> {
  constructor(private readonly writer: EmployeeFactsWriter) {}

  async execute({ csv, ctx }: ImportFactsCsvCommand): Promise<ImportFactsCsvResult> {
    if (Buffer.byteLength(csv) > MAX_BYTES)
      throw new InvalidInputError('the CSV is larger than 5 MB; split it into several imports');
    const parsed = parseFactsCsv(csv);
    const report: ImportRowReport[] = parsed.errors.map((e) => ({
      line: e.line,
      status: 'rejected',
      message: e.message,
    }));
    if (parsed.rows.length === 0 && parsed.errors.length === 1 && parsed.errors[0].line <= 1) {
      throw new InvalidInputError(`the CSV cannot be read: ${parsed.errors[0].message}`);
    }
    // Rows are applied in file order (a hire before the facts that follow it); each row is its own
    // atomic append, so a rejected row writes nothing and does not undo the others.
    for (const row of parsed.rows) {
      const employeeId = row.fact.data.employeeId;
      try {
        const r = await this.writer.record(
          employeeId,
          [row.fact],
          { ...ctx, expectedVersion: undefined },
          `csv-line-${row.line}`,
        );
        report.push({
          line: row.line,
          status: r.duplicate ? 'duplicate' : 'recorded',
          employeeId,
          type: row.fact.type,
          version: r.version,
        });
      } catch (e) {
        if (!isDomainError(e)) throw e;
        report.push({
          line: row.line,
          status: 'rejected',
          employeeId,
          type: row.fact.type,
          message: e.message,
        });
      }
    }
    report.sort((a, b) => a.line - b.line);
    return {
      rows: report.length,
      recorded: report.filter((r) => r.status !== 'rejected').length,
      rejected: report.filter((r) => r.status === 'rejected').length,
      report,
    };
  }
}
