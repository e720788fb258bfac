import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Talent-Signature';
export const TIMESTAMP_HEADER = 'X-Talent-Timestamp';
export const DELIVERY_HEADER = 'X-Talent-Delivery';
export const EVENT_TYPE_HEADER = 'X-Talent-Event';

/** `sha256=<hex HMAC-SHA256(secret, timestamp + '.' + body)>`. */
export function signWebhook(secret: string, timestamp: string | number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
  return `sha256=${mac}`;
}

/**
 * For receivers: true when `header` is the signature of `timestamp.body` under `secret` and the
 * timestamp (unix seconds) is within `toleranceSeconds` of now (replay protection). Compare the raw
 * body bytes as received, before any JSON parsing. Constant-time on the MAC.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  body: string,
  header: string,
  toleranceSeconds: number,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const match = /^sha256=([0-9a-f]{64})$/.exec(header.trim());
  if (!match) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body).slice('sha256='.length), 'hex');
  const given = Buffer.from(match[1], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
