import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '@talent/event-store';
import { createWebhookSubscription, validateWebhookUrl } from '@talent/notifications';
import { InvalidInputError } from '@talent/workflows';
import type { ActorRef } from '../../write-context.js';
import { asNotificationDomainErrors, assertWebhookManager } from '../inbox-recipients.js';
import {
  SUBSCRIPTION_COLUMNS,
  toView,
  WEBHOOK_EVENT_TYPES,
  type RawSubscription,
  type WebhookSubscriptionView,
} from './webhook-view.js';

export interface CreatedWebhook extends WebhookSubscriptionView {
  /** The HMAC-SHA256 signing secret: returned here once and never again. */
  secret: string;
}

/** HR subscribes a URL to case events (`'*'` for all); deliveries are signed with the secret. */
export class CreateWebhookCommand extends Command<CreatedWebhook> {
  constructor(
    readonly url: string,
    readonly eventTypes: readonly string[],
    readonly actor: ActorRef,
  ) {
    super();
  }
}

@CommandHandler(CreateWebhookCommand)
export class CreateWebhookHandler implements ICommandHandler<CreateWebhookCommand, CreatedWebhook> {
  constructor(private readonly store: EventStore) {}

  async execute({ url, eventTypes, actor }: CreateWebhookCommand): Promise<CreatedWebhook> {
    assertWebhookManager(actor);
    await asNotificationDomainErrors(async () => validateWebhookUrl(url));
    const unknown = eventTypes.filter((t) => t !== '*' && !WEBHOOK_EVENT_TYPES.includes(t));
    if (unknown.length) {
      throw new InvalidInputError(
        `unknown event types: ${unknown.join(', ')}; use '*' or case event types such as ${WEBHOOK_EVENT_TYPES.slice(0, 3).join(', ')}`,
        unknown.map((t) => ({ path: 'eventTypes', message: `unknown event type '${t}'` })),
      );
    }
    const ds = this.store.dataSource;
    const sub = await asNotificationDomainErrors(() =>
      createWebhookSubscription(ds, { url, eventTypes: [...new Set(eventTypes)], createdBy: actor.userId }),
    );
    const rows = await ds.query<RawSubscription[]>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE id = $1`,
      [sub.id],
    );
    return { ...toView(rows[0]), secret: sub.secret };
  }
}
