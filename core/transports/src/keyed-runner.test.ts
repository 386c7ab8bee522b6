import { describe, expect, it } from 'vitest';
import { KeyedRunner } from './keyed-runner.ts';

describe('KeyedRunner', () => {
  it('counts each task once, running or waiting, so free slots are what its capacity allows', async () => {
    const runner = new KeyedRunner(2, 4);
    const gates: Array<() => void> = [];
    const task = () => new Promise<void>((resolve) => gates.push(resolve));
    runner.add('a', task);
    runner.add('b', task);
    expect(runner.size).toBe(2);
    expect(runner.freeSlots).toBe(2);
    runner.add('a', task); // waits behind a's first task
    expect(runner.size).toBe(3);
    expect(runner.freeSlots).toBe(1);
    expect(gates).toHaveLength(2);
    runner.add('c', task); // held: two are running already
    expect(runner.freeSlots).toBe(0);
    expect(gates).toHaveLength(2);
    for (const open of gates.splice(0)) open();
    await new Promise((r) => setTimeout(r, 0));
    expect(runner.size).toBe(2);
    for (const open of gates.splice(0)) open();
    await runner.idle();
    expect(runner.size).toBe(0);
    expect(runner.freeSlots).toBe(4);
  });

  it('looks ahead past a run of one key: other keys run while it waits, maxInFlight x 8 by default', () => {
    const runner = new KeyedRunner(4);
    expect(runner.capacity).toBe(32);
    let started = 0;
    const task = () => {
      started++;
      return new Promise<void>(() => {});
    };
    for (let i = 0; i < 20; i++) runner.add('flush', task); // one store's store-and-forward run
    for (const k of ['x', 'y', 'z', 'w']) runner.add(k, task);
    expect(started).toBe(4); // flush's first, then x, y, z: at most maxInFlight
    expect(runner.freeSlots).toBe(8);
    expect(() => new KeyedRunner(4, 2)).toThrow(RangeError);
  });

  it('runs one task per key at a time, in order, and at most maxInFlight across keys', async () => {
    const runner = new KeyedRunner(2);
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    for (const key of ['x', 'y', 'z']) {
      for (const n of [1, 2]) {
        runner.add(key, async () => {
          running++;
          peak = Math.max(peak, running);
          log.push(`${key}${n}`);
          await new Promise((r) => setTimeout(r, 2));
          running--;
        });
      }
    }
    await runner.idle();
    expect(peak).toBe(2);
    for (const key of ['x', 'y', 'z']) expect(log.indexOf(`${key}1`)).toBeLessThan(log.indexOf(`${key}2`));
  });
});
