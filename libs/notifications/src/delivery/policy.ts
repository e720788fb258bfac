export interface DeliveryPolicy {
  /** Attempts before a delivery is `dead` (also the BullMQ job's `attempts`). */
  maxAttempts: number;
  /** First retry delay; doubles each attempt (BullMQ `exponential` backoff uses the same formula). */
  baseDelayMs: number;
  /**
   * How long a `sending` claim is trusted. A claim older than this is taken as "the worker died
   * mid-send" and the delivery is retried: this is the at-least-once window. Must exceed the senders'
   * timeouts (SMTP 30 s, webhook 10 s by default) by a wide margin.
   */
  leaseMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = Object.freeze({
  maxAttempts: 8,
  baseDelayMs: 30_000,
  leaseMs: 5 * 60_000,
});

/** Delay before the retry that follows the `attempts`-th failed attempt (1-based). */
export function backoffDelayMs(attempts: number, policy: Pick<DeliveryPolicy, 'baseDelayMs'>): number {
  return Math.round(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}
