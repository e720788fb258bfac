import {
  DELIVERY_HEADER,
  EVENT_TYPE_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signWebhook,
} from '../signature.js';
import { errorText, type SendOutcome } from './outcome.js';

export interface WebhookSenderOptions {
  /** Per-request timeout (default 10 s); keep well under the delivery claim lease. */
  timeoutMs?: number;
  userAgent?: string;
  /** Unix seconds for the timestamp header (tests). */
  nowSeconds?: () => number;
}

export interface WebhookMessage {
  deliveryId: string;
  url: string;
  secret: string;
  eventType: string;
  /** The exact JSON text to send (and sign). */
  body: string;
}

/**
 * POSTs a signed JSON body. 2xx is success; anything else (including redirects, which are not
 * followed), a timeout or a network error is a failed attempt with the status recorded.
 */
export class WebhookSender {
  constructor(private readonly options: WebhookSenderOptions = {}) {}

  async send(message: WebhookMessage): Promise<SendOutcome> {
    const timestamp = String(this.options.nowSeconds?.() ?? Math.floor(Date.now() / 1000));
    try {
      const response = await fetch(message.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': this.options.userAgent ?? 'talent-engine-webhooks/1',
          [SIGNATURE_HEADER]: signWebhook(message.secret, timestamp, message.body),
          [TIMESTAMP_HEADER]: timestamp,
          [DELIVERY_HEADER]: message.deliveryId,
          [EVENT_TYPE_HEADER]: message.eventType,
        },
        body: message.body,
      });
      const text = await response.text().catch(() => '');
      if (response.status >= 200 && response.status < 300) return { ok: true, responseCode: response.status };
      return {
        ok: false,
        responseCode: response.status,
        error: `HTTP ${response.status}${text ? `: ${text.slice(0, 300)}` : ''}`,
      };
    } catch (e) {
      return { ok: false, responseCode: null, error: errorText(e) };
    }
  }
}
