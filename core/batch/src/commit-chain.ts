/**
 * Runs commits one after the other, in the order queued, while the caller goes on reading the next rows.
 * The caller waits (`settle`) when too many are queued, so reading never runs far ahead of the database
 * and memory stays bounded. After a failure nothing further runs and every wait rejects with it.
 */
export class CommitChain {
  readonly #queued: Promise<void>[] = [];
  #failure: { error: unknown } | undefined;

  /** Queues a commit. */
  add(commit: () => Promise<void>): void {
    const previous = this.#queued.at(-1) ?? Promise.resolve();
    const run = previous.then(async () => {
      if (this.#failure) return;
      try {
        await commit();
      } catch (error) {
        this.#failure = { error };
      }
    });
    this.#queued.push(run);
    // Commits finish in order, so the one finishing is always the oldest.
    void run.then(() => this.#queued.shift());
  }

  /** Waits until at most `atMost` commits are queued or running; rejects once one has failed. */
  async settle(atMost = 0): Promise<void> {
    while (this.#queued.length > atMost && !this.#failure) await this.#queued[0];
    if (this.#failure) throw this.#failure.error;
  }
}
