import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@talent/event-store';
import { NotificationInbox } from '@talent/notifications';
import type { ActorRef } from '../../write-context.js';
import { inboxRecipients } from '../inbox-recipients.js';

export interface UnreadCount {
  unread: number;
  /** Per inbox: the caller's user id and each role inbox they hold. */
  byInbox: Record<string, number>;
}

/** Unread in-app notifications across the caller's own and role inboxes. */
export class CountMyUnreadNotificationsQuery extends Query<UnreadCount> {
  constructor(readonly actor: ActorRef) {
    super();
  }
}

@QueryHandler(CountMyUnreadNotificationsQuery)
export class CountMyUnreadNotificationsHandler implements IQueryHandler<
  CountMyUnreadNotificationsQuery,
  UnreadCount
> {
  constructor(private readonly store: EventStore) {}

  async execute({ actor }: CountMyUnreadNotificationsQuery): Promise<UnreadCount> {
    const inbox = new NotificationInbox(this.store.dataSource);
    const byInbox: Record<string, number> = {};
    let unread = 0;
    for (const recipient of inboxRecipients(actor)) {
      const n = await inbox.unreadCount(recipient);
      byInbox[recipient] = n;
      unread += n;
    }
    return { unread, byInbox };
  }
}
