/**
 * Delays of the per-lane retry queues. A queue expires messages only at its head, so one queue per delay
 * (every message in it has the same TTL) is what keeps expiry in arrival order: with per-message TTLs in
 * one queue, a 1 h retry at the head would hold back a 250 ms retry behind it.
 */
export const DEFAULT_RETRY_TIERS_MS: readonly number[] = [
  250, 1000, 5000, 30_000, 120_000, 600_000, 3_600_000,
];

/** Throws unless `tiers` is a non-empty, strictly increasing list of positive whole milliseconds. */
export function assertRetryTiers(tiers: readonly number[]): void {
  const ok =
    tiers.length > 0 &&
    tiers.every((ms, i) => Number.isSafeInteger(ms) && ms > 0 && (i === 0 || ms > tiers[i - 1]!));
  if (!ok) {
    throw new RangeError(
      `retry tiers must be strictly increasing positive integers (ms), got ${JSON.stringify(tiers)}`,
    );
  }
}

/**
 * Where a retry of `delayMs` waits: `0` for no wait (straight back to the lane's queue), otherwise the
 * smallest tier that is at least `delayMs`, so a retry never comes back sooner than asked. A delay beyond the
 * largest tier gets the largest one, and `chained` tells the caller to stamp the due time on the message so
 * the consumer parks it again until then.
 */
export function retryTierFor(
  delayMs: number,
  tiers: readonly number[],
): { tierMs: number; chained: boolean } {
  if (!(delayMs > 0)) return { tierMs: 0, chained: false };
  const tier = tiers.find((ms) => ms >= delayMs);
  if (tier !== undefined) return { tierMs: tier, chained: false };
  return { tierMs: tiers[tiers.length - 1]!, chained: true };
}
