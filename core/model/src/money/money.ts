import { z } from 'zod';
import { currencyInfo } from './currency.ts';
import { Big, type BigValue, Decimal, parseDecimal, toDecimalText } from './decimal.ts';

/** ISO 4217 alphabetic code of a currency that carries money. */
export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code of three capital letters')
  .refine((code) => currencyInfo(code) !== undefined, { message: 'is not an ISO 4217 money currency' })
  .describe('ISO 4217 alphabetic currency code.');

/**
 * Exact money: a signed integer count of minor units with its ISO 4217 currency and that currency's exponent.
 * 12.34 EUR is `{ minor: 1234, currency: "EUR", exponent: 2 }`.
 */
export const Money = z
  .object({
    minor: z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
    currency: CurrencyCode,
    exponent: z.number().int().min(0).max(4),
  })
  .strict()
  .superRefine((money, ctx) => {
    const info = currencyInfo(money.currency);
    if (info && info.exponent !== money.exponent) {
      ctx.addIssue({
        code: 'custom',
        path: ['exponent'],
        message: `${money.currency} has exponent ${info.exponent} in ISO 4217, not ${money.exponent}`,
      });
    }
  })
  .describe('Exact money in integer minor units.');
export type Money = z.infer<typeof Money>;

/** A price that may keep more places than the currency (fuel, weighed goods): decimal text + currency. */
export const UnitPrice = z
  .object({ amount: Decimal, currency: CurrencyCode })
  .strict()
  .describe('Unit price as decimal text in major units; may carry sub-minor places.');
export type UnitPrice = z.infer<typeof UnitPrice>;

/** Why money text could not be turned into Money. */
export type MoneyError =
  | { code: 'money.not_a_number'; message: string }
  | { code: 'money.unknown_currency'; message: string }
  | { code: 'money.sub_minor'; message: string }
  | { code: 'money.out_of_range'; message: string };

export type MoneyResult = { ok: true; value: Money } | { ok: false; error: MoneyError };

/** How to treat places beyond the currency's exponent: refuse them, or round half up / half even. */
export type SubMinorPolicy = 'reject' | 'half-up' | 'half-even';

/**
 * Parses money written as decimal text in major units ("12.34", "-0.19", "269.90000") without any float.
 * Extra trailing zeros are fine; other extra places follow `subMinor` (default: reject).
 */
export function parseMoney(raw: string, currency: string, subMinor: SubMinorPolicy = 'reject'): MoneyResult {
  const info = currencyInfo(currency);
  if (!info) {
    return {
      ok: false,
      error: { code: 'money.unknown_currency', message: `"${currency}" is not an ISO 4217 money currency` },
    };
  }
  const value = parseDecimal(raw);
  if (!value)
    return { ok: false, error: { code: 'money.not_a_number', message: `"${raw}" is not a decimal amount` } };
  return fromMajor(value, info.code, info.exponent, subMinor, raw);
}

/** Money from integer minor units given as text or a safe integer (Square `amount`, Adyen `value`). */
export function moneyFromMinor(raw: string | number | bigint, currency: string): MoneyResult {
  const info = currencyInfo(currency);
  if (!info) {
    return {
      ok: false,
      error: { code: 'money.unknown_currency', message: `"${currency}" is not an ISO 4217 money currency` },
    };
  }
  const text = String(raw).trim();
  if (!/^-?\d+$/.test(text)) {
    return {
      ok: false,
      error: { code: 'money.not_a_number', message: `"${text}" is not a whole number of minor units` },
    };
  }
  const minor = BigInt(text);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) {
    return {
      ok: false,
      error: { code: 'money.out_of_range', message: `${text} minor units is beyond the exact range` },
    };
  }
  return { ok: true, value: { minor: Number(minor) || 0, currency: info.code, exponent: info.exponent } };
}

function fromMajor(
  value: BigValue,
  currency: string,
  exponent: number,
  subMinor: SubMinorPolicy,
  raw: string,
): MoneyResult {
  const scaled = value.times(new Big(`1e${exponent}`));
  let whole = scaled.round(0, Big.roundDown);
  if (!whole.eq(scaled)) {
    if (subMinor === 'reject') {
      return {
        ok: false,
        error: {
          code: 'money.sub_minor',
          message: `"${raw}" has more than ${exponent} decimal places for ${currency}`,
        },
      };
    }
    whole = scaled.round(0, subMinor === 'half-up' ? Big.roundHalfUp : Big.roundHalfEven);
  }
  const minor = BigInt(whole.toFixed(0));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) {
    return {
      ok: false,
      error: { code: 'money.out_of_range', message: `"${raw}" is beyond the exact range` },
    };
  }
  return { ok: true, value: { minor: Number(minor) || 0, currency, exponent } };
}

/** Money as decimal text in major units ("-12.30"). */
export function formatMoney(money: Money): string {
  return toDecimalText(new Big(String(money.minor)).div(new Big(`1e${money.exponent}`)), money.exponent);
}

/** Zero in a currency. Throws on an unknown currency (a programming error: validate first). */
export function zeroMoney(currency: string): Money {
  const info = currencyInfo(currency);
  if (!info) throw new TypeError(`unknown currency ${currency}`);
  return { minor: 0, currency: info.code, exponent: info.exponent };
}

/** Sum of amounts in one currency; throws when currencies differ or the sum leaves the exact range. */
export function addMoney(a: Money, ...rest: Money[]): Money {
  let minor = BigInt(a.minor);
  for (const b of rest) {
    if (b.currency !== a.currency) throw new TypeError(`cannot add ${b.currency} to ${a.currency}`);
    minor += BigInt(b.minor);
  }
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError('money sum beyond the exact range');
  }
  return { ...a, minor: Number(minor) || 0 };
}

/** Sum of a list of amounts, zero in `currency` when empty. */
export function sumMoney(currency: string, amounts: readonly Money[]): Money {
  return amounts.length === 0 ? zeroMoney(currency) : addMoney(zeroMoney(currency), ...amounts);
}

/** The amount with its sign flipped. */
export function negateMoney(money: Money): Money {
  return { ...money, minor: -money.minor || 0 };
}

/** Quantity x unit price rounded to the currency's minor unit, half up (0.42 x 2.99 = 1.2558 -> 1.26). */
export function extendPrice(quantity: string, unitPrice: string, currency: string): MoneyResult {
  const q = parseDecimal(quantity);
  const p = parseDecimal(unitPrice);
  if (!q || !p) {
    return {
      ok: false,
      error: { code: 'money.not_a_number', message: `cannot multiply "${quantity}" by "${unitPrice}"` },
    };
  }
  const info = currencyInfo(currency);
  if (!info) {
    return {
      ok: false,
      error: { code: 'money.unknown_currency', message: `"${currency}" is not an ISO 4217 money currency` },
    };
  }
  return fromMajor(q.times(p), info.code, info.exponent, 'half-up', `${quantity} x ${unitPrice}`);
}

/** The exact amount scaled to minor units and rounded half away from zero (-0.005 becomes -0.01). */
export function roundToMinor(value: BigValue, exponent: number): bigint {
  return BigInt(
    value
      .times(new Big(`1e${exponent}`))
      .round(0, Big.roundHalfUp)
      .toFixed(0),
  );
}

/** Decimal text of a count of minor units ("-0.01"), for messages and extensions. */
export function minorText(minor: bigint, exponent: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return negative ? `-${whole}` : whole;
}

/** Money as people read it in a message: "12.30 USD". */
export function moneyText(m: Money): string {
  return `${formatMoney(m)} ${m.currency}`;
}
