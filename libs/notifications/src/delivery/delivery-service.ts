import { randomUUID } from 'node:crypto';
import { DeliveryNotFoundError } from '../errors.js';
import { isUuid } from '../ids.js';
import type { EmailSender } from '../senders/email-sender.js';
import { errorText, type SendOutcome } from '../senders/outcome.js';
import type { WebhookSender } from '../senders/webhook-sender.js';
import { selectRows } from '../sql.js';
import type { DeliveryChannel, DeliveryStatus, SqlRunner } from '../types.js';
import { backoffDelayMs, DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './policy.js';

export type DeliveryOutcome =
  | { status: 'sent'; deliveryId: string; attempts: number; responseCode: number | null }
  | {
      status: 'failed' | 'dead';
      deliveryId: string;
      attempts: number;
      responseCode: number | null;
      error: string;
      /** When a `failed` delivery is due again. */
      nextAttemptAt: Date | null;
    }
  /** Nothing done: already sent or dead, or another worker holds a live claim. */
  | { status: 'skipped'; deliveryId: string; current: DeliveryStatus };

export interface DeliveryServiceDeps {
  db: SqlRunner;
  email?: EmailSender;
  webhook?: WebhookSender;
  policy?: Partial<DeliveryPolicy>;
  /**
   * Fault injection for tests: runs after the transport accepted the message and before the delivery
   * is marked sent (the at-least-once window). Never set it in production.
   */
  afterTransportAccepted?: (deliveryId: string) => Promise<void>;
}

interface ClaimedRow {
  id: string;
  channel: DeliveryChannel;
  target: string;
  attempts: number;
  notification_id: string;
  title: string;
  body: string;
  body_html: string | null;
  data: unknown;
  event_type: string;
  secret: string | null;
  active: boolean | null;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Delivers one stored delivery row, at most once per claim:
 *
 * 1. claim: `UPDATE ... SET status='sending', claim_token, claimed_at, attempts+1 WHERE status IN
 *    ('pending','failed')` (or a `sending` claim older than the lease). A second run of the same job,
 *    or a retry after the row was marked sent, claims nothing and sends nothing.
 * 2. send over the transport;
 * 3. mark `sent` (or `failed` with the next due time, or `dead` after `maxAttempts`) in the database,
 *    before the job is acknowledged.
 *
 * The one window where a message can go out twice: the process dies (or the database is unreachable)
 * after the transport accepted the message and before step 3 commits. The row stays `sending`; once the
 * lease expires the sweep retries it. The window is one UPDATE long (retried briefly in-process), and
 * a duplicate carries the same Message-ID / X-Talent-Delivery id so receivers can drop it.
 */
export class DeliveryService {
  readonly policy: DeliveryPolicy;

  constructor(private readonly deps: DeliveryServiceDeps) {
    this.policy = { ...DEFAULT_DELIVERY_POLICY, ...deps.policy };
  }

  async deliver(deliveryId: string): Promise<DeliveryOutcome> {
    if (!isUuid(deliveryId)) throw new DeliveryNotFoundError(deliveryId);
    const token = randomUUID();
    const [row] = await selectRows<ClaimedRow>(
      this.deps.db,
      `WITH claimed AS (
         UPDATE notification_deliveries
            SET status = 'sending', claim_token = $2, claimed_at = now(), attempts = attempts + 1, updated_at = now()
          WHERE id = $1
            AND (status IN ('pending', 'failed')
                 OR (status = 'sending' AND claimed_at < now() - $3::bigint * interval '1 millisecond'))
          RETURNING id, channel, target, attempts, notification_id, subscription_id)
       SELECT c.id, c.channel, c.target, c.attempts, c.notification_id,
              n.title, n.body, n.body_html, n.data, n.event_type, s.secret, s.active
         FROM claimed c
         JOIN notifications n ON n.id = c.notification_id
         LEFT JOIN webhook_subscriptions s ON s.id = c.subscription_id`,
      [deliveryId, token, this.policy.leaseMs],
    );
    if (!row) {
      const [current] = await selectRows<{ status: DeliveryStatus }>(
        this.deps.db,
        `SELECT status FROM notification_deliveries WHERE id = $1`,
        [deliveryId],
      );
      if (!current) throw new DeliveryNotFoundError(deliveryId);
      return { status: 'skipped', deliveryId, current: current.status };
    }

    let outcome: SendOutcome;
    let permanent = false;
    try {
      if (row.channel === 'email') {
        if (!this.deps.email) throw new Error('no EmailSender configured');
        outcome = await this.deps.email.send({
          notificationId: row.notification_id,
          deliveryId: row.id,
          to: row.target,
          subject: row.title,
          text: row.body,
          html: row.body_html,
        });
      } else if (row.secret === null || row.active !== true) {
        outcome = { ok: false, responseCode: null, error: 'webhook subscription is inactive or gone' };
        permanent = true;
      } else {
        if (!this.deps.webhook) throw new Error('no WebhookSender configured');
        outcome = await this.deps.webhook.send({
          deliveryId: row.id,
          url: row.target,
          secret: row.secret,
          eventType: row.event_type,
          body: JSON.stringify({ deliveryId: row.id, notificationId: row.notification_id, event: row.data }),
        });
      }
    } catch (e) {
      outcome = { ok: false, responseCode: null, error: errorText(e) };
    }

    if (outcome.ok) {
      await this.deps.afterTransportAccepted?.(row.id);
      await this.markSent(row.id, outcome.responseCode);
      return {
        status: 'sent',
        deliveryId: row.id,
        attempts: row.attempts,
        responseCode: outcome.responseCode,
      };
    }
    return this.markFailed(row, token, outcome, permanent);
  }

  /** Retries the mark a few times: the shorter this takes, the smaller the duplicate window. */
  private async markSent(id: string, responseCode: number | null): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.db.query(
          `UPDATE notification_deliveries
              SET status = 'sent', sent_at = COALESCE(sent_at, now()), response_code = $2, last_error = NULL,
                  claim_token = NULL, updated_at = now()
            WHERE id = $1`,
          [id, responseCode],
        );
        return;
      } catch (e) {
        if (attempt >= 3) throw e;
        await pause(100 * attempt);
      }
    }
  }

  private async markFailed(
    row: ClaimedRow,
    token: string,
    outcome: SendOutcome,
    permanent: boolean,
  ): Promise<DeliveryOutcome> {
    const dead = permanent || row.attempts >= this.policy.maxAttempts;
    const delay = backoffDelayMs(row.attempts, this.policy);
    const error = outcome.error ?? 'delivery failed';
    const [updated] = await selectRows<{ next_attempt_at: Date }>(
      this.deps.db,
      `WITH changed AS (
         UPDATE notification_deliveries
            SET status = $3, last_error = $4, response_code = $5, claim_token = NULL, updated_at = now(),
                next_attempt_at = CASE WHEN $3 = 'failed' THEN now() + $6::bigint * interval '1 millisecond'
                                       ELSE next_attempt_at END
          WHERE id = $1 AND claim_token = $2
          RETURNING next_attempt_at)
       SELECT next_attempt_at FROM changed`,
      [row.id, token, dead ? 'dead' : 'failed', error, outcome.responseCode, delay],
    );
    return {
      status: dead ? 'dead' : 'failed',
      deliveryId: row.id,
      attempts: row.attempts,
      responseCode: outcome.responseCode,
      error,
      nextAttemptAt: dead ? null : (updated?.next_attempt_at ?? null),
    };
  }
}
