import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '@talent/event-store';
import { NotificationInbox } from '@talent/notifications';
import type { ActorRef } from '../../write-context.js';
import { inboxRecipients } from '../inbox-recipients.js';

/**
 * Marks in-app notifications read. Only rows of the caller's own inbox or of a role inbox they hold
 * change (a role inbox row read by one holder is read for all); other ids are ignored.
 */
export class MarkNotificationsReadCommand extends Command<{ marked: number }> {
  constructor(
    readonly ids: readonly string[],
    readonly actor: ActorRef,
  ) {
    super();
  }
}

@CommandHandler(MarkNotificationsReadCommand)
export class MarkNotificationsReadHandler implements ICommandHandler<
  MarkNotificationsReadCommand,
  { marked: number }
> {
  constructor(private readonly store: EventStore) {}

  async execute({ ids, actor }: MarkNotificationsReadCommand): Promise<{ marked: number }> {
    const inbox = new NotificationInbox(this.store.dataSource);
    let marked = 0;
    // each call is scoped to one recipient by the lib; a row has one recipient, so none counts twice
    for (const recipient of inboxRecipients(actor)) marked += await inbox.markRead(recipient, ids);
    return { marked };
  }
}
