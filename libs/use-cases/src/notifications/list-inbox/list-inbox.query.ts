import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@talent/event-store';
import {
  InvalidNotificationInputError,
  NotificationInbox,
  type InboxItem,
  type InboxPage,
} from '@talent/notifications';
import { InvalidInputError } from '@talent/workflows';
import type { ActorRef } from '../../write-context.js';
import { inboxRecipients } from '../inbox-recipients.js';

export type MyInboxItem = InboxItem;
/** `nextCursor`: pass as `cursor` for the next (older) page; null on the last page. */
export type MyInboxPage = InboxPage;

export interface MyInboxFilter {
  unreadOnly?: boolean;
  cursor?: string;
  /** 1..100 */
  limit: number;
}

/** The caller's in-app notifications merged with their role inboxes, newest first. */
export class ListMyNotificationsQuery extends Query<MyInboxPage> {
  constructor(
    readonly filter: MyInboxFilter,
    readonly actor: ActorRef,
  ) {
    super();
  }
}

@QueryHandler(ListMyNotificationsQuery)
export class ListMyNotificationsHandler implements IQueryHandler<ListMyNotificationsQuery, MyInboxPage> {
  constructor(private readonly store: EventStore) {}

  async execute({ filter, actor }: ListMyNotificationsQuery): Promise<MyInboxPage> {
    try {
      return await new NotificationInbox(this.store.dataSource).listInbox(inboxRecipients(actor), {
        limit: filter.limit,
        ...(filter.unreadOnly ? { unreadOnly: true } : {}),
        ...(filter.cursor !== undefined ? { after: filter.cursor } : {}),
      });
    } catch (e) {
      if (!(e instanceof InvalidNotificationInputError)) throw e;
      const field = e.field === 'after' ? 'cursor' : e.field;
      const message =
        field === 'cursor' ? 'cursor is not one this API returned; start again without it' : e.message;
      throw new InvalidInputError(message, [{ path: field, message: e.message }]);
    }
  }
}
