export { inboxRecipients } from './inbox-recipients.js';
export * from './list-inbox/list-inbox.query.js';
export * from './mark-read/mark-read.command.js';
export * from './unread-count/unread-count.query.js';
export { WEBHOOK_EVENT_TYPES, type WebhookSubscriptionView } from './webhooks/webhook-view.js';
export * from './webhooks/create-webhook.command.js';
export * from './webhooks/list-webhooks.query.js';
export * from './webhooks/set-webhook-active.command.js';
export * from './notifications.module.js';
