import { describe, expect, it } from 'vitest';
import { NotBeforeQueue } from './not-before-queue.ts';

describe('NotBeforeQueue', () => {
  it('releases per partition in order, each record no sooner than its time', () => {
    const queue = new NotBeforeQueue<string>();
    queue.add('p0', 1000, 'a');
    queue.add('p0', 500, 'b'); // due sooner, but behind a: head-of-line within the partition
    queue.add('p1', 700, 'c');
    expect(queue.nextDueAt()).toBe(700);
    expect(queue.takeDue(600)).toBeUndefined();
    expect(queue.takeDue(700)).toBe('c'); // another partition is not held up by p0
    expect(queue.takeDue(999)).toBeUndefined();
    expect(queue.takeDue(1000)).toBe('a');
    expect(queue.takeDue(1000)).toBe('b');
    expect(queue.size).toBe(0);
    expect(queue.nextDueAt()).toBeUndefined();
  });

  it('drops a revoked partition', () => {
    const queue = new NotBeforeQueue<string>();
    queue.add('p0', 0, 'a');
    queue.add('p0', 0, 'b');
    queue.add('p1', 0, 'c');
    queue.drop('p0');
    expect(queue.size).toBe(1);
    expect(queue.takeDue(0)).toBe('c');
    expect(queue.takeDue(0)).toBeUndefined();
  });
});
