import { describe, expect, it } from 'vitest';
import { cardNumbersIn, findCardNumbers, passesLuhn } from './card-numbers.ts';

describe('card number detection', () => {
  it('finds test PANs of the main schemes, plain or grouped', () => {
    expect(cardNumbersIn('4111111111111111')).toEqual(['4111111111111111']);
    expect(cardNumbersIn('pan 4111 1111 1111 1111 end')).toEqual(['4111111111111111']);
    expect(cardNumbersIn('5555-5555-5555-4444')).toEqual(['5555555555554444']);
    expect(cardNumbersIn('amex 378282246310005')).toEqual(['378282246310005']);
    expect(cardNumbersIn('6011111111111117')).toEqual(['6011111111111117']);
    expect(cardNumbersIn('4222222222222')).toEqual(['4222222222222']);
  });

  it('leaves masked PANs, GTINs, short numbers and Luhn failures alone', () => {
    expect(cardNumbersIn('541333******0011')).toEqual([]);
    expect(cardNumbersIn('00000000067591')).toEqual([]); // GTIN-14 with leading zeros
    expect(cardNumbersIn('4006381333931')).toEqual([]); // EAN-13 beginning with 4 (fails Luhn)
    expect(cardNumbersIn('4111111111111112')).toEqual([]);
    expect(cardNumbersIn('411111111111')).toEqual([]);
    expect(cardNumbersIn('2017-10-01T02:01:31')).toEqual([]);
    expect(cardNumbersIn('order-4111111111111111x')).toEqual([]); // part of an alphanumeric token
    expect(cardNumbersIn('240-7-20240615-1966')).toEqual([]); // composite transaction id, not card grouping
    expect(cardNumbersIn('3782 822463 10005')).toEqual(['378282246310005']); // Amex grouping
    expect(cardNumbersIn('4111-1111 1111-1111')).toEqual([]); // mixed separators
    expect(passesLuhn('79927398713')).toBe(true);
  });

  it('points at the value (or key) holding a card number, in any JSON', () => {
    const problems = findCardNumbers({
      a: [{ note: 'x' }, { note: 'paid with 5555555555554444' }],
      '4111111111111111': 1,
    });
    expect(problems.map((p) => p.pointer)).toEqual(['/a/1/note', '/4111111111111111']);
    expect(problems[0]?.message).not.toContain('5555555555554444');
  });
});
