import { AGGREGATES, CASE_TYPES } from '@talent/workflows';

/** A subscription as listed: never with its secret (shown once, when created). */
export interface WebhookSubscriptionView {
  id: string;
  url: string;
  eventTypes: string[];
  active: boolean;
  createdBy: string;
  createdAt: string;
}

export interface RawSubscription {
  id: string;
  url: string;
  event_types: string[];
  active: boolean;
  created_by: string;
  created_at: Date;
}

export const SUBSCRIPTION_COLUMNS = 'id, url, event_types, active, created_by, created_at';

export function toView(r: RawSubscription): WebhookSubscriptionView {
  return {
    id: r.id,
    url: r.url,
    eventTypes: r.event_types,
    active: r.active,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  };
}

/** Event types a webhook can receive: every case event (notifications are planned for case events). */
export const WEBHOOK_EVENT_TYPES: readonly string[] = [
  ...new Set(CASE_TYPES.flatMap((t) => Object.keys(AGGREGATES[t].eventSchemas))),
].sort();
