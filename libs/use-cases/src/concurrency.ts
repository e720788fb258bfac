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
