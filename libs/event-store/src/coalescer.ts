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
 * Two writes with the same key never share a batch (they would race on the same row). A batch
 * either commits as a whole or writes nothing; when its statement fails, every member is run again
 * alone, so each caller gets its own outcome (its own conflict, duplicate or success) and one
 * member's error never fails another.
 */
export class WriteCoalescer<T, R> {
  private queue: Array<Waiting<T, R>> = [];
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;

  constructor(
    options: CoalescingOptions,
    private readonly runOne: (item: T) => Promise<R>,
    /** Runs the batch in one statement; results in the order of `items`. */
    private readonly runMany: (items: T[]) => Promise<R[]>,
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
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** The oldest waiting writes, at most one per key and `maxBatch` in all; the rest keep their order. */
  private take(): Array<Waiting<T, R>> {
    const keys = new Set<string>();
    const batch: Array<Waiting<T, R>> = [];
    const rest: Array<Waiting<T, R>> = [];
    for (const w of this.queue) {
      if (batch.length < this.maxBatch && !keys.has(w.key)) {
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
      let results: R[] | undefined;
      try {
        results = await this.runMany(batch.map((w) => w.item));
      } catch {
        // The statement wrote nothing; each member learns its own outcome below.
      }
      if (results) {
        batch.forEach((w, i) => w.resolve(results[i]));
        return;
      }
    }
    await Promise.all(
      batch.map(async (w) => {
        try {
          w.resolve(await this.runOne(w.item));
        } catch (e) {
          w.reject(e);
        }
      }),
    );
  }
}
