import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMoney, extendPrice, formatMoney, moneyFromMinor, parseMoney } from './money.ts';

describe('parseMoney', () => {
  it('parses decimal text into minor units without a float', () => {
    expect(parseMoney('12.34', 'EUR')).toEqual({
      ok: true,
      value: { minor: 1234, currency: 'EUR', exponent: 2 },
    });
    expect(parseMoney('0.1', 'USD')).toMatchObject({ ok: true, value: { minor: 10 } });
    expect(parseMoney('-0.19', 'USD')).toMatchObject({ ok: true, value: { minor: -19 } });
    expect(parseMoney('269.90000', 'AUD')).toMatchObject({ ok: true, value: { minor: 26990 } });
    expect(parseMoney('1500', 'JPY')).toMatchObject({ ok: true, value: { minor: 1500, exponent: 0 } });
    expect(parseMoney('1.234', 'KWD')).toMatchObject({ ok: true, value: { minor: 1234, exponent: 3 } });
    expect(parseMoney('90071992547409.91', 'USD')).toMatchObject({
      ok: true,
      value: { minor: 9007199254740991 },
    });
  });

  it('refuses what is not money, with a specific code', () => {
    expect(parseMoney('12,34', 'EUR')).toMatchObject({ ok: false, error: { code: 'money.not_a_number' } });
    expect(parseMoney('1.005', 'USD')).toMatchObject({ ok: false, error: { code: 'money.sub_minor' } });
    expect(parseMoney('1', 'ABC')).toMatchObject({ ok: false, error: { code: 'money.unknown_currency' } });
    expect(parseMoney('1', 'XXX')).toMatchObject({ ok: false, error: { code: 'money.unknown_currency' } });
    expect(parseMoney('90071992547409.92', 'USD')).toMatchObject({
      ok: false,
      error: { code: 'money.out_of_range' },
    });
  });

  it('rounds sub-minor places only when asked', () => {
    expect(parseMoney('-0.00500', 'AUD', 'half-up')).toMatchObject({ ok: true, value: { minor: -1 } });
    expect(parseMoney('0.125', 'EUR', 'half-even')).toMatchObject({ ok: true, value: { minor: 12 } });
  });

  it('extends a weighed price half up at the line (0.42 x 2.99 = 1.26)', () => {
    expect(extendPrice('0.42', '2.99', 'USD')).toMatchObject({ ok: true, value: { minor: 126 } });
    expect(extendPrice('-1.47', '3.49', 'USD')).toMatchObject({ ok: true, value: { minor: -513 } });
  });
});

describe('money properties', () => {
  const currencies = fc.constantFrom(['JPY', 0] as const, ['EUR', 2] as const, ['KWD', 3] as const);
  const safeMinor = fc.bigInt({ min: -(2n ** 50n), max: 2n ** 50n });

  it('round-trips minor units through text', () => {
    fc.assert(
      fc.property(safeMinor, currencies, (minor, [currency]) => {
        const money = moneyFromMinor(minor, currency);
        if (!money.ok) throw new Error(money.error.message);
        const back = parseMoney(formatMoney(money.value), currency);
        expect(back).toEqual(money);
      }),
    );
  });

  it('adds exactly, matching bigint arithmetic, whatever the order', () => {
    fc.assert(
      fc.property(
        fc.array(
          safeMinor.map((n) => n / 1024n),
          { minLength: 1, maxLength: 20 },
        ),
        (parts) => {
          const amounts = parts.map((p) => ({ minor: Number(p), currency: 'EUR', exponent: 2 }));
          const expected = parts.reduce((a, b) => a + b, 0n);
          const [first, ...rest] = amounts;
          expect(BigInt(addMoney(first!, ...rest).minor)).toBe(expected);
          const [rfirst, ...rrest] = [...amounts].reverse();
          expect(addMoney(rfirst!, ...rrest).minor).toBe(Number(expected));
        },
      ),
    );
  });

  it('parses any decimal text with at most the exponent places exactly', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
        fc.integer({ min: 0, max: 2 }),
        fc.boolean(),
        (digits, places, neg) => {
          const s = digits.toString().padStart(places + 1, '0');
          const text = `${neg ? '-' : ''}${places ? `${s.slice(0, -places)}.${s.slice(-places)}` : s}`;
          const parsed = parseMoney(text, 'EUR');
          expect(parsed).toMatchObject({ ok: true });
          if (parsed.ok)
            expect(BigInt(parsed.value.minor)).toBe((neg ? -1n : 1n) * digits * 10n ** BigInt(2 - places));
        },
      ),
    );
  });
});
