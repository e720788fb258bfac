import {
  NotificationDeliveryRecord,
  NotificationRecord,
  UserContactRecord,
  WebhookSubscriptionRecord,
} from './entities.js';
import { NotificationsSchema1764600000000 } from './migrations/1764600000000-notifications-schema.js';

export const notificationMigrations: Array<new () => unknown> = [NotificationsSchema1764600000000];
export const notificationEntities: Array<new () => unknown> = [
  UserContactRecord,
  WebhookSubscriptionRecord,
  NotificationRecord,
  NotificationDeliveryRecord,
];
