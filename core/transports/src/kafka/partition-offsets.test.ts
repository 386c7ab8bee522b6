import { describe, expect, it } from 'vitest';
import { PartitionOffsets } from './partition-offsets.ts';

describe('PartitionOffsets', () => {
  it('commits only past the contiguous prefix of settled records', () => {
    const offsets = new PartitionOffsets<string>();
    for (const [offset, record] of [
      [10n, 'a'],
      [11n, 'b'],
      [13n, 'c'], // a gap: a transaction marker or a compacted record
      [14n, 'd'],
    ] as const) {
      expect(offsets.track(offset, record)).toBe(true);
    }
    expect(offsets.settle(11n)).toBeUndefined(); // 10 is still in the handler
    expect(offsets.settle(14n)).toBeUndefined();
    expect(offsets.settle(10n)).toBe('b'); // 10 and 11 are done: commit past 11
    expect(offsets.pending).toBe(2);
    expect(offsets.settle(13n)).toBe('d'); // and now through 14
    expect(offsets.pending).toBe(0);
  });

  it('ignores records fetched again after a rebalance, and settlements of unknown offsets', () => {
    const offsets = new PartitionOffsets<number>();
    expect(offsets.track(5n, 5)).toBe(true);
    expect(offsets.track(6n, 6)).toBe(true);
    expect(offsets.track(5n, 5)).toBe(false);
    expect(offsets.track(6n, 6)).toBe(false);
    expect(offsets.track(7n, 7)).toBe(true);
    expect(offsets.settle(99n)).toBeUndefined();
    expect(offsets.settle(5n)).toBe(5);
    expect(offsets.settle(5n)).toBeUndefined();
  });

  it('keeps working across compaction of a long run', () => {
    const offsets = new PartitionOffsets<bigint>();
    for (let i = 0n; i < 5000n; i++) offsets.track(i, i);
    // Settle in reverse pairs, so every other settlement advances the prefix by two.
    for (let i = 0n; i < 5000n; i += 2n) {
      expect(offsets.settle(i + 1n)).toBeUndefined();
      expect(offsets.settle(i)).toBe(i + 1n);
    }
    expect(offsets.pending).toBe(0);
    expect(offsets.track(5000n, 5000n)).toBe(true);
    expect(offsets.settle(5000n)).toBe(5000n);
  });
});
