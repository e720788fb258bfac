import { Module } from '@nestjs/common';
import { ListMyNotificationsHandler } from './list-inbox/list-inbox.query.js';
import { MarkNotificationsReadHandler } from './mark-read/mark-read.command.js';
import { CountMyUnreadNotificationsHandler } from './unread-count/unread-count.query.js';
import { CreateWebhookHandler } from './webhooks/create-webhook.command.js';
import { ListWebhooksHandler } from './webhooks/list-webhooks.query.js';
import { SetWebhookActiveHandler } from './webhooks/set-webhook-active.command.js';

const commandHandlers = [MarkNotificationsReadHandler, CreateWebhookHandler, SetWebhookActiveHandler];
const queryHandlers = [ListMyNotificationsHandler, CountMyUnreadNotificationsHandler, ListWebhooksHandler];

/** The caller's in-app inbox (own + role inboxes) and HR's webhook subscriptions. */
@Module({ providers: [...commandHandlers, ...queryHandlers] })
export class NotificationsModule {}
