import { InvalidNotificationInputError } from '@talent/notifications';
import { ForbiddenError, InvalidInputError } from '@talent/workflows';
import { callerTokens } from '../cases/case-row.js';
import type { ActorRef } from '../write-context.js';

/**
 * The recipient ids whose in-app rows a caller reads: their own user id (the planner stores a person
 * without the `user:` prefix) and every role inbox they hold (`role:hr`, `role:leadership@support`).
 */
export function inboxRecipients(actor: ActorRef): string[] {
  return [...new Set(callerTokens(actor).map((t) => (t.startsWith('user:') ? t.slice('user:'.length) : t)))];
}

/** Webhook subscriptions are HR's to manage. */
export function assertWebhookManager(actor: ActorRef): void {
  if (!actor.roles.includes('hr')) throw new ForbiddenError('only HR may manage webhook subscriptions');
}

/** The notification lib's input errors as the domain's 400 (the HTTP edge maps domain errors). */
export async function asNotificationDomainErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof InvalidNotificationInputError) {
      throw new InvalidInputError(e.message, [{ path: e.field, message: e.message }]);
    }
    throw e;
  }
}
