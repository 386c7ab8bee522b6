import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.ts';

describe('GroupCommit', () => {
  it('commits a lone item at once and groups items that arrive during a commit', async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number, number>(
      async (items) => {
        batches.push(items);
        await new Promise((r) => setTimeout(r, 20));
        return items.map((i) => i * 10);
      },
      { maxBatch: 100, concurrency: 1 },
    );
    const first = gc.submit(1);
    const rest = [2, 3, 4, 5].map((i) => gc.submit(i));
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
    expect(gc.stats).toEqual({ batches: 2, items: 5, queued: 0 });
  });

  it('fails every item of a failed transaction and carries on with the next', async () => {
    let calls = 0;
    const gc = new GroupCommit<string, string>(
      async (items) => {
        calls++;
        if (items.includes('bad')) throw new Error('rolled back');
        return items;
      },
      { concurrency: 1 },
    );
    const a = gc.submit('bad');
    await expect(a).rejects.toThrow('rolled back');
    expect(await gc.submit('good')).toBe('good');
    expect(calls).toBe(2);
  });

  it('sends the items of one submitAll together, in order', async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      return items;
    });
    expect(await gc.submitAll([1, 2, 3])).toEqual([1, 2, 3]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('keeps batches within maxBatch', async () => {
    const sizes: number[] = [];
    const gc = new GroupCommit<number, number>(
      async (items) => {
        sizes.push(items.length);
        return items;
      },
      { maxBatch: 3, concurrency: 1 },
    );
    await gc.submitAll([1, 2, 3, 4, 5, 6, 7]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(7);
  });
});
