import { ConcurrencyError } from '@talent/event-store';

/**
 * Re-runs a load-decide-append cycle when another writer got in first, but only when the caller did
 * not pin a version (If-Match) and the command says a retry is safe (it re-decides on fresh state).
 */
export async function retryOnConflict<T>(safe: boolean, attempt: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      if (!safe || !(e instanceof ConcurrencyError) || i >= attempts) throw e;
    }
  }
}

/**
 * A write that may carry an Idempotency-Key. With a key, `earlier` is asked first: a retry of a
 * request that already committed gets its original result (or a 409 when the key was used for
 * another request). Otherwise the write runs, retried on conflict unless the caller pinned a
 * version. A retry that raced its original and lost (the stage moved, the employee is already
 * hired) asks `earlier` again: once the original has committed, it is answered as a retry.
 */
export async function keyedWrite<T>(
  ctx: { idempotencyKey?: string; expectedVersion?: number },
  earlier: () => Promise<T | undefined>,
  attempt: () => Promise<T>,
): Promise<T> {
  if (ctx.idempotencyKey) {
    const found = await earlier();
    if (found) return found;
  }
  try {
    return await retryOnConflict(ctx.expectedVersion === undefined, attempt);
  } catch (e) {
    const found = ctx.idempotencyKey ? await earlier() : undefined;
    if (found) return found;
    throw e;
  }
}
