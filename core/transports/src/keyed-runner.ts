/** How many tasks a runner holds per running slot by default: the look-ahead past one store's run. */
export const LOOKAHEAD = 8;

/**
 * Runs tasks one at a time per key, in the order they were added, with at most `maxInFlight` running
 * across all keys. Transports hand deliveries of one store to the handler through it, so per-store order
 * holds even when a broker batch mixes stores.
 *
 * It holds up to `capacity` tasks (default `maxInFlight` x {@link LOOKAHEAD}), more than it runs: a broker
 * hands messages over in its own order, and a store-and-forward flush puts a run of one store's messages
 * at the head; were the runner to take only `maxInFlight`, that run would leave one slot working and the
 * rest idle. Looking ahead lets other stores' messages run meanwhile.
 */
export class KeyedRunner {
  readonly #maxInFlight: number;
  readonly capacity: number;
  readonly #queues = new Map<string, Array<() => Promise<void>>>();
  readonly #ready: string[] = [];
  #running = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(maxInFlight: number, capacity = maxInFlight * LOOKAHEAD) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
      throw new RangeError(`maxInFlight must be a positive integer, got ${maxInFlight}`);
    }
    if (!Number.isInteger(capacity) || capacity < maxInFlight) {
      throw new RangeError(`capacity must be an integer of at least maxInFlight, got ${capacity}`);
    }
    this.#maxInFlight = maxInFlight;
    this.capacity = capacity;
  }

  /** Tasks added and not finished yet, running or waiting. */
  get size(): number {
    // A running task stays at the head of its key's queue until it ends, so the queues hold every task once.
    let tasks = 0;
    for (const q of this.#queues.values()) tasks += q.length;
    return tasks;
  }

  /** How many more tasks it takes now (up to its capacity): a consumer fetches no more than this. */
  get freeSlots(): number {
    return Math.max(0, this.capacity - this.size);
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
