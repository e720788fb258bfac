import { Command } from '@nestjs/cqrs';
import type { WriteContext } from '../../write-context.js';

export interface PublishFrameworkResult {
  frameworkId: string;
  version: number;
  streamVersion: number;
}

/** HR publishes a framework document (YAML/JSON text or a parsed value) as a new version. */
export class PublishFrameworkCommand extends Command<PublishFrameworkResult> {
  constructor(
    readonly document: unknown,
    readonly ctx: WriteContext,
  ) {
    super();
  }
}
