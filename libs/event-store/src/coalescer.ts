/** How concurrent single-event appends share statements and commits. */
export interface CoalescingOptions {
  /**
   * Statements in flight at once. Up to this many appends run alone as they arrive; appends arriving
   * while all are busy wait and go together in the next statement. Default 2: on the 2-core bench machine 1–2 gave
   * the best rate at 16 concurrent appenders, 4–8 lost a quarter of it (bench/event-store.bench.ts).
   */
  maxInFlight?: number;
  /** Most appends one statement carries. Default 64. */
  maxBatch?: number;
}

interface Waiting<T, R> {
  key: string;
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit for independent writes. While fewer than `maxInFlight` statements are running, a
 * write runs alone at once (so a lone writer never waits); writes that arrive while every slot is
 * busy queue and leave together, as one statement and one commit, when a slot frees. No timer, so
 * nothing is delayed to fill a batch.
 *
 * Writes with the same key never share a batch and never run while another write with that key is
 * in flight (they would only race each other on the same rows); they wait their turn in order.
 * A batch either commits as a whole or writes nothing. When its statement fails with an error that
 * one member can cause for all (`retryAlone`: a unique violation, a deadlock), every member is run
 * again alone, one after the other in the batch's slot, so each caller gets its own conflict,
 * duplicate or success and the slot limit holds. Any other error (a lost connection, a timeout)
 * is every member's error, as it would have been for each unbatched write.
 */
export class WriteCoalescer<T, R> {
  private queue: Array<Waiting<T, R>> = [];
  private inFlight = 0;
  private readonly busyKeys = new Set<string>();
  private readonly maxInFlight: number;
  private readonly maxBatch: number;

  constructor(
    options: CoalescingOptions,
    private readonly runOne: (item: T) => Promise<R>,
    /** Runs the batch in one statement; results in the order of `items`. */
    private readonly runMany: (items: T[]) => Promise<R[]>,
    /** Whether a failed batch should be retried member by member (default: never). */
    private readonly retryAlone: (error: unknown) => boolean = () => false,
  ) {
    this.maxInFlight = options.maxInFlight ?? 2;
    this.maxBatch = options.maxBatch ?? 64;
    for (const [name, v] of [
      ['maxInFlight', this.maxInFlight],
      ['maxBatch', this.maxBatch],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be an integer >= 1 (got ${v})`);
    }
  }

  submit(key: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ key, item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.take();
      if (batch.length === 0) return; // everything waiting has a write in flight with its key
      this.inFlight++;
      for (const w of batch) this.busyKeys.add(w.key);
      void this.flush(batch).finally(() => {
        for (const w of batch) this.busyKeys.delete(w.key);
        this.inFlight--;
        this.pump();
      });
    }
  }

  /**
   * The oldest waiting writes whose key is free, at most one per key and `maxBatch` in all; the rest
   * keep their order.
   */
  private take(): Array<Waiting<T, R>> {
    const keys = new Set<string>();
    const batch: Array<Waiting<T, R>> = [];
    const rest: Array<Waiting<T, R>> = [];
    for (const w of this.queue) {
      if (batch.length < this.maxBatch && !keys.has(w.key) && !this.busyKeys.has(w.key)) {
        keys.add(w.key);
        batch.push(w);
      } else {
        rest.push(w);
      }
    }
    this.queue = rest;
    return batch;
  }

  private async flush(batch: Array<Waiting<T, R>>): Promise<void> {
    if (batch.length > 1) {
      try {
        const results = await this.runMany(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results[i]));
        return;
      } catch (e) {
        if (!this.retryAlone(e)) {
          for (const w of batch) w.reject(e);
          return;
        }
        // The statement wrote nothing; each member learns its own outcome below.
      }
    }
    for (const w of batch) {
      try {
        w.resolve(await this.runOne(w.item));
      } catch (e) {
        w.reject(e);
      }
    }
  }
}
