/** How a group commit batches: at most `maxBatch` items per transaction, at most `concurrency` transactions at once. */
export interface GroupCommitOptions {
  maxBatch: number;
  concurrency: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: callers submit one item each; items that arrive while a transaction is committing wait and
 * go together in the next one. An idle system commits a lone item at once (no added latency); a busy one
 * shares each fsync among many requests, so throughput is not one commit per request.
 * `run` must return one result per item, in order, and commit all of them or none.
 */
export class GroupCommit<I, O> {
  readonly #run: (items: I[]) => Promise<O[]>;
  readonly #options: GroupCommitOptions;
  readonly #queue: Pending<I, O>[] = [];
  #running = 0;
  #batches = 0;
  #items = 0;

  constructor(run: (items: I[]) => Promise<O[]>, options: Partial<GroupCommitOptions> = {}) {
    this.#run = run;
    this.#options = { maxBatch: options.maxBatch ?? 500, concurrency: options.concurrency ?? 2 };
  }

  /** Queues one item; resolves with its result once its transaction has committed. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#pump();
    });
  }

  /**
   * Queues several items that should travel together (a store-and-forward batch): they are queued before
   * any transaction starts, so up to maxBatch of them commit in one transaction, in their order.
   */
  submitAll(items: I[]): Promise<O[]> {
    const results = items.map(
      (item) =>
        new Promise<O>((resolve, reject) => {
          this.#queue.push({ item, resolve, reject });
        }),
    );
    this.#pump();
    return Promise.all(results);
  }

  /** Transactions run and items committed so far (for metrics). */
  get stats(): { batches: number; items: number; queued: number } {
    return { batches: this.#batches, items: this.#items, queued: this.#queue.length };
  }

  #pump(): void {
    while (this.#running < this.#options.concurrency && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#options.maxBatch);
      this.#running++;
      void this.#flush(batch);
    }
  }

  async #flush(batch: Pending<I, O>[]): Promise<void> {
    try {
      const results = await this.#run(batch.map((p) => p.item));
      if (results.length !== batch.length)
        throw new Error(`group commit returned ${results.length} of ${batch.length} results`);
      this.#batches++;
      this.#items += batch.length;
      for (const [i, p] of batch.entries()) p.resolve(results[i]!);
    } catch (error) {
      for (const p of batch) p.reject(error);
    } finally {
      this.#running--;
      this.#pump();
    }
  }
}
