import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../write-context.js';

export interface ImportRowReport {
  line: number;
  status: 'recorded' | 'duplicate' | 'rejected';
  employeeId?: string;
  type?: string;
  version?: number;
  message?: string;
}

export interface ImportFactsCsvResult {
  rows: number;
  recorded: number;
  rejected: number;
  report: ImportRowReport[];
}

/** Bulk import: one fact per CSV row; a bad row is reported with its line and nothing of it is written. */
export class ImportFactsCsvCommand extends Command<ImportFactsCsvResult> {
  constructor(
    readonly csv: string,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
