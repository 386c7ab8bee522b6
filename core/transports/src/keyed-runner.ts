/**
 * Runs tasks one at a time per key, in the order they were added, with at most `maxInFlight` running
 * across all keys. Transports hand deliveries of one store to the handler through it, so per-store order
 * holds even when a broker batch mixes stores.
 */
export class KeyedRunner {
  readonly #maxInFlight: number;
  readonly #queues = new Map<string, Array<() => Promise<void>>>();
  readonly #ready: string[] = [];
  #running = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(maxInFlight: number) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
      throw new RangeError(`maxInFlight must be a positive integer, got ${maxInFlight}`);
    }
    this.#maxInFlight = maxInFlight;
  }

  /** Tasks added and not finished yet, running or waiting. */
  get size(): number {
    // A running task stays at the head of its key's queue until it ends, so the queues hold every task once.
    let tasks = 0;
    for (const q of this.#queues.values()) tasks += q.length;
    return tasks;
  }

  /** How many more tasks could start right now: a consumer fetches no more than this. */
  get freeSlots(): number {
    return Math.max(0, this.#maxInFlight - this.size);
  }

  /** Queues a task behind the others of its key. Errors of the task are the task's business. */
  add(key: string, task: () => Promise<void>): void {
    const queue = this.#queues.get(key);
    if (queue) {
      queue.push(task);
      return;
    }
    this.#queues.set(key, [task]);
    this.#ready.push(key);
    this.#pump();
  }

  /** Resolves when no task is running or waiting. */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #pump(): void {
    while (this.#running < this.#maxInFlight && this.#ready.length > 0) {
      const key = this.#ready.shift()!;
      const queue = this.#queues.get(key)!;
      const task = queue[0]!;
      this.#running++;
      void task()
        .catch(() => undefined)
        .finally(() => {
          this.#running--;
          queue.shift();
          if (queue.length > 0) this.#ready.push(key);
          else this.#queues.delete(key);
          this.#pump();
          if (this.size === 0) {
            const waiters = this.#idleWaiters;
            this.#idleWaiters = [];
            for (const w of waiters) w();
          }
        });
    }
  }
}
