interface Entry<T> {
  offset: bigint;
  record: T;
  settled: boolean;
}

/**
 * The records of one partition taken by a consumer and not yet committed. Deliveries settle out of order
 * (stores run side by side), but Kafka keeps one offset per partition, so only the contiguous prefix of
 * settled records may be committed: committing past an unsettled one would lose it in a crash.
 */
export class PartitionOffsets<T> {
  readonly #entries: Array<Entry<T>> = [];
  #head = 0;
  #next: bigint | undefined;

  /** Records taken and not yet part of the committable prefix. */
  get pending(): number {
    return this.#entries.length - this.#head;
  }

  /**
   * Records a taken record. Returns false for an offset taken before: after a rebalance the client fetches
   * again from the committed offset, and those records are already in this consumer's hands.
   */
  track(offset: bigint, record: T): boolean {
    if (this.#next !== undefined && offset < this.#next) return false;
    this.#next = offset + 1n;
    this.#entries.push({ offset, record, settled: false });
    return true;
  }

  /**
   * Marks a record settled. Returns the last record of the settled prefix when the prefix grew (commit
   * past it), otherwise undefined.
   */
  settle(offset: bigint): T | undefined {
    const index = this.#find(offset);
    if (index < 0) return undefined;
    this.#entries[index]!.settled = true;
    let last: T | undefined;
    while (this.#head < this.#entries.length && this.#entries[this.#head]!.settled) {
      last = this.#entries[this.#head]!.record;
      this.#head++;
    }
    // Compact now and then so a long-lived partition does not keep every record it ever took.
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries.splice(0, this.#head);
      this.#head = 0;
    }
    return last;
  }

  #find(offset: bigint): number {
    let lo = this.#head;
    let hi = this.#entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.#entries[mid]!.offset;
      if (at === offset) return mid;
      if (at < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
