import { randomBytes, randomUUID } from 'node:crypto';
import { InvalidNotificationInputError } from './errors.js';
import { isUuid } from './ids.js';
import { selectRows } from './sql.js';
import type { SqlRunner, UserContact, WebhookSubscription } from './types.js';

/** Records (or replaces) a user's e-mail address and display name. */
export async function upsertUserContact(db: SqlRunner, contact: UserContact): Promise<void> {
  if (contact.email !== null && !/^[^\s@<>]+@[^\s@<>]+$/.test(contact.email)) {
    throw new InvalidNotificationInputError('email', `"${contact.email}" is not an e-mail address`);
  }
  await db.query(
    `INSERT INTO user_contacts (user_id, email, display_name) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, display_name = EXCLUDED.display_name, updated_at = now()`,
    [contact.userId, contact.email, contact.displayName],
  );
}

export interface NewWebhookSubscription {
  url: string;
  /** Event types to deliver; `'*'` for all. */
  eventTypes: readonly string[];
  createdBy: string;
  /** Shared HMAC secret; 32 random bytes (hex) when absent. */
  secret?: string;
  id?: string;
}

export function validateWebhookUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidNotificationInputError('url', `"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new InvalidNotificationInputError('url', 'must be http:// or https://');
  }
  if (parsed.username || parsed.password) {
    throw new InvalidNotificationInputError('url', 'must not carry credentials');
  }
  return parsed;
}

export async function createWebhookSubscription(
  db: SqlRunner,
  input: NewWebhookSubscription,
): Promise<WebhookSubscription> {
  validateWebhookUrl(input.url);
  if (input.eventTypes.length === 0) {
    throw new InvalidNotificationInputError('eventTypes', "list at least one event type (or '*')");
  }
  if (input.secret !== undefined && input.secret.length < 16) {
    throw new InvalidNotificationInputError('secret', 'must be at least 16 characters');
  }
  if (input.id !== undefined && !isUuid(input.id))
    throw new InvalidNotificationInputError('id', 'must be a UUID');
  const sub: WebhookSubscription = {
    id: input.id ?? randomUUID(),
    url: input.url,
    secret: input.secret ?? randomBytes(32).toString('hex'),
    eventTypes: [...input.eventTypes],
    active: true,
    createdBy: input.createdBy,
  };
  await db.query(
    `INSERT INTO webhook_subscriptions (id, url, secret, event_types, active, created_by)
     VALUES ($1, $2, $3, $4::text[], true, $5)`,
    [sub.id, sub.url, sub.secret, sub.eventTypes, sub.createdBy],
  );
  return sub;
}

/** Deactivates or reactivates a subscription; returns whether it exists. */
export async function setWebhookSubscriptionActive(
  db: SqlRunner,
  id: string,
  active: boolean,
): Promise<boolean> {
  if (!isUuid(id)) return false;
  const rows = await selectRows<{ id: string }>(
    db,
    `WITH changed AS (UPDATE webhook_subscriptions SET active = $2 WHERE id = $1 RETURNING id) SELECT id FROM changed`,
    [id, active],
  );
  return rows.length > 0;
}
