import { describe, expect, it } from 'vitest';
import { assertRetryTiers, DEFAULT_RETRY_TIERS_MS, retryTierFor } from './retry-tiers.ts';

describe('retryTierFor', () => {
  const tiers = DEFAULT_RETRY_TIERS_MS;

  it('picks the smallest tier at least as long as the delay, never a shorter one', () => {
    expect(retryTierFor(1, tiers)).toEqual({ tierMs: 250, chained: false });
    expect(retryTierFor(250, tiers)).toEqual({ tierMs: 250, chained: false });
    expect(retryTierFor(251, tiers)).toEqual({ tierMs: 1000, chained: false });
    expect(retryTierFor(400, tiers)).toEqual({ tierMs: 1000, chained: false });
    expect(retryTierFor(3_600_000, tiers)).toEqual({ tierMs: 3_600_000, chained: false });
  });

  it('sends no delay straight back, and chains delays beyond the largest tier', () => {
    expect(retryTierFor(0, tiers)).toEqual({ tierMs: 0, chained: false });
    expect(retryTierFor(Number.NaN, tiers)).toEqual({ tierMs: 0, chained: false });
    expect(retryTierFor(3_600_001, tiers)).toEqual({ tierMs: 3_600_000, chained: true });
  });

  it('refuses tiers that are empty, unordered or not whole milliseconds', () => {
    expect(() => assertRetryTiers(tiers)).not.toThrow();
    for (const bad of [[], [1000, 250], [250, 250], [0, 10], [2.5]]) {
      expect(() => assertRetryTiers(bad)).toThrow(RangeError);
    }
  });
});
