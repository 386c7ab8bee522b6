import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateMinorUnits } from './allocate-minor-units.ts';
import { Big, type BigValue } from './decimal.ts';
import { roundToMinor } from './money.ts';

const big = (values: string[]) => values.map((v) => new Big(v));
const sum = (values: BigValue[]) => values.reduce((a, b) => a.plus(b), new Big('0'));

describe('allocateMinorUnits', () => {
  it('shares a half-cent total the way the document rounds it, not line by line', () => {
    // 2.05425 + 1.03125 + 1.03950 = 4.12500: rounded line by line 4.12, as a sale 4.13.
    const taxes = big(['2.05425', '1.03125', '1.03950']);
    expect(allocateMinorUnits(taxes, 2, roundToMinor(sum(taxes), 2))).toEqual([206n, 103n, 104n]);
  });

  it('allocates a return as the mirror image of its sale', () => {
    const sale = big(['5.24250', '5.24250']);
    const back = big(['-5.24250', '-5.24250']);
    expect(allocateMinorUnits(sale, 2, 1049n)).toEqual([525n, 524n]);
    expect(allocateMinorUnits(back, 2, -1049n)).toEqual([-525n, -524n]);
  });

  it('leaves whole amounts alone and honours a stated target below the exact sum', () => {
    expect(allocateMinorUnits(big(['20', '0.4995', '1']), 2, 2150n)).toEqual([2000n, 50n, 100n]);
    expect(allocateMinorUnits(big(['1.006', '2']), 2, 300n)).toEqual([100n, 200n]);
    expect(allocateMinorUnits([], 2, 0n)).toEqual([]);
  });

  it('always adds up to the target and moves no amount by a unit or more when the target is the rounded sum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 3 }),
        (raw, exponent) => {
          const values = raw.map((n) => new Big(n.toString()).div('100000'));
          const target = roundToMinor(sum(values), exponent);
          const shares = allocateMinorUnits(values, exponent, target);
          expect(shares.reduce((a, b) => a + b, 0n)).toBe(target);
          for (const [i, share] of shares.entries()) {
            const exact = values[i]!.times(new Big(`1e${exponent}`));
            expect(exact.minus(share.toString()).abs().lt('1')).toBe(true);
          }
        },
      ),
    );
  });

  it('reaches a target far from the sum in one pass', () => {
    const shares = allocateMinorUnits(big(['1', '2', '3']), 2, 10n ** 15n);
    expect(shares.reduce((a, b) => a + b, 0n)).toBe(10n ** 15n);
  });
});
