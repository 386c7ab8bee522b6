/**
 * One upload per job at a time in this process: a second one is told to retry instead of racing the first
 * (across processes, the commit's job-state check makes the loser stop with nothing committed).
 */
export class UploadLocks {
  readonly #held = new Set<string>();

  /** Takes the job's lock; returns its release, or undefined while another upload holds it. */
  take(jobId: string): (() => void) | undefined {
    if (this.#held.has(jobId)) return undefined;
    this.#held.add(jobId);
    return () => {
      this.#held.delete(jobId);
    };
  }
}
