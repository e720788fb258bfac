export { notificationEntities, notificationMigrations } from './persistence/index.js';
export * from './types.js';
export * from './errors.js';
export { deliveryId, notificationId, isUuid } from './ids.js';
export {
  templates,
  templateAliases,
  defaultTemplate,
  renderNotification,
  type NotificationTemplate,
  type RenderedNotification,
  type TemplateContext,
} from './templates/templates.js';
export { escapeHtml } from './templates/escape.js';
export * from './planning.js';
export * from './subscriptions.js';
export * from './inbox.js';
export * from './signature.js';
export { EmailSender, type EmailMessage, type EmailSenderOptions } from './senders/email-sender.js';
export { WebhookSender, type WebhookMessage, type WebhookSenderOptions } from './senders/webhook-sender.js';
export type { SendOutcome } from './senders/outcome.js';
export * from './delivery/policy.js';
export * from './delivery/delivery-service.js';
export * from './delivery/queue.js';
