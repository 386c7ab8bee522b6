/** When and how often the runtime tries again after a retryable failure: data, owned by the runtime. */
export interface RetryPolicy {
  /** First backoff ceiling; attempt n waits a random time in [0, min(capMs, baseMs * 2^(n-1))] (full jitter). */
  baseMs: number;
  capMs: number;
  /** Attempts in all, the first included, before the event is dead-lettered. */
  maxAttempts: number;
  /** An event older than this (since poshub received it) is dead-lettered instead of retried. */
  maxAgeMs: number;
  /** Error types that are never retried, whatever the connector said. */
  nonRetryable: readonly string[];
}

/** Svix-like: quick first retries, then minutes, about a day in all (reliability-security.md §5). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 1000,
  capMs: 5 * 60_000,
  maxAttempts: 12,
  maxAgeMs: 3 * 24 * 3600_000,
  nonRetryable: [],
};

/**
 * The wait before attempt `attempt + 1`, after `attempt` failed ("full jitter", AWS Architecture Blog):
 * spreads the retries of many events so a recovering target is not hit in waves.
 */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
