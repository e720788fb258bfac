import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '@talent/event-store';
import { setWebhookSubscriptionActive } from '@talent/notifications';
import { NotFoundError } from '@talent/workflows';
import type { ActorRef } from '../../write-context.js';
import { assertWebhookManager } from '../inbox-recipients.js';
import {
  SUBSCRIPTION_COLUMNS,
  toView,
  type RawSubscription,
  type WebhookSubscriptionView,
} from './webhook-view.js';

/**
 * Deactivates (pending deliveries to it die instead of being sent) or reactivates a subscription.
 * Idempotent: setting the state it already has succeeds.
 */
export class SetWebhookActiveCommand extends Command<WebhookSubscriptionView> {
  constructor(
    readonly subscriptionId: string,
    readonly active: boolean,
    readonly actor: ActorRef,
  ) {
    super();
  }
}

@CommandHandler(SetWebhookActiveCommand)
export class SetWebhookActiveHandler implements ICommandHandler<
  SetWebhookActiveCommand,
  WebhookSubscriptionView
> {
  constructor(private readonly store: EventStore) {}

  async execute({
    subscriptionId,
    active,
    actor,
  }: SetWebhookActiveCommand): Promise<WebhookSubscriptionView> {
    assertWebhookManager(actor);
    const ds = this.store.dataSource;
    if (!(await setWebhookSubscriptionActive(ds, subscriptionId, active))) {
      throw new NotFoundError('webhook subscription', subscriptionId);
    }
    const rows = await ds.query<RawSubscription[]>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE id = $1`,
      [subscriptionId],
    );
    return toView(rows[0]);
  }
}
