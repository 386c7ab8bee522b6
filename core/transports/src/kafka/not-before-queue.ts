interface Waiting<T> {
  notBefore: number;
  item: T;
}

/**
 * Holds retry-topic records until their not-before time, first in first out per partition. A record waits
 * behind an earlier one of its partition even when it is due sooner (head-of-line within the partition):
 * releasing it first would let its offset be settled while an earlier one is not, which the contiguous
 * commit then holds back anyway, and it keeps the retries of one store in the order they were made.
 */
export class NotBeforeQueue<T> {
  readonly #queues = new Map<string, Array<Waiting<T>>>();
  #size = 0;

  /** Records waiting, across partitions. */
  get size(): number {
    return this.#size;
  }

  /** Queues `item` behind the others of `partition`. */
  add(partition: string, notBefore: number, item: T): void {
    const queue = this.#queues.get(partition);
    if (queue) queue.push({ notBefore, item });
    else this.#queues.set(partition, [{ notBefore, item }]);
    this.#size++;
  }

  /** Takes one record whose partition head is due at `now`, or undefined. */
  takeDue(now: number): T | undefined {
    for (const [partition, queue] of this.#queues) {
      const head = queue[0]!;
      if (head.notBefore > now) continue;
      queue.shift();
      if (queue.length === 0) this.#queues.delete(partition);
      this.#size--;
      return head.item;
    }
    return undefined;
  }

  /** When the earliest partition head falls due, or undefined when nothing waits. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const queue of this.#queues.values()) {
      const at = queue[0]!.notBefore;
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  /** Forgets a partition's records (it was revoked: its next owner fetches them again). */
  drop(partition: string): void {
    const queue = this.#queues.get(partition);
    if (!queue) return;
    this.#size -= queue.length;
    this.#queues.delete(partition);
  }

  /** Forgets everything. */
  clear(): void {
    this.#queues.clear();
    this.#size = 0;
  }
}
