import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { publishFramework } from '@talent/career-framework';
import { EventStore } from '@talent/event-store';
import { ForbiddenError, InvalidInputError } from '@talent/workflows';
import { newEvents, roleFor, toJson } from '../../write-context.js';
import {
  FRAMEWORK_STREAM_TYPE,
  FrameworkCatalogReader,
  frameworkStreamId,
} from '../framework-catalog.reader.js';
import { PublishFrameworkCommand, type PublishFrameworkResult } from './publish-framework.command.js';

@CommandHandler(PublishFrameworkCommand)
export class PublishFrameworkHandler implements ICommandHandler<
  PublishFrameworkCommand,
  PublishFrameworkResult
> {
  constructor(
    private readonly store: EventStore,
    private readonly catalog: FrameworkCatalogReader,
  ) {}

  async execute({ document, ctx }: PublishFrameworkCommand): Promise<PublishFrameworkResult> {
    const role = roleFor(ctx.actor, ['hr', 'system']);
    if (!role) throw new ForbiddenError('only HR publishes career frameworks');
    const decided = publishFramework(await this.catalog.load(), {
      document,
      publishedBy: ctx.actor.userId,
      publishedAt: ctx.now,
    });
    if (!decided.ok) {
      throw new InvalidInputError(
        `the framework document is not valid: ${decided.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
        decided.errors.map((e) => ({ path: e.path, message: e.message })),
      );
    }
    const { frameworkId, version } = decided.value.data;
    const streamId = frameworkStreamId(frameworkId);
    const result = await this.store.append(
      streamId,
      FRAMEWORK_STREAM_TYPE,
      ctx.expectedVersion ?? this.catalog.streamVersionOf(frameworkId),
      newEvents(ctx, streamId, role, [{ type: 'FrameworkPublished', payload: toJson(decided.value.data) }]),
    );
    return { frameworkId, version, streamVersion: result.streamVersion };
  }
}
