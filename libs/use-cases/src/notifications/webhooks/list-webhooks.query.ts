import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@talent/event-store';
import type { ActorRef } from '../../write-context.js';
import { assertWebhookManager } from '../inbox-recipients.js';
import {
  SUBSCRIPTION_COLUMNS,
  toView,
  type RawSubscription,
  type WebhookSubscriptionView,
} from './webhook-view.js';

/** Every webhook subscription, oldest first, without secrets (HR). */
export class ListWebhooksQuery extends Query<{ items: WebhookSubscriptionView[] }> {
  constructor(readonly actor: ActorRef) {
    super();
  }
}

@QueryHandler(ListWebhooksQuery)
export class ListWebhooksHandler implements IQueryHandler<
  ListWebhooksQuery,
  { items: WebhookSubscriptionView[] }
> {
  constructor(private readonly store: EventStore) {}

  async execute({ actor }: ListWebhooksQuery): Promise<{ items: WebhookSubscriptionView[] }> {
    assertWebhookManager(actor);
    const rows = await this.store.dataSource.query<RawSubscription[]>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions ORDER BY created_at, id`,
    );
    return { items: rows.map(toView) };
  }
}
