import { type BigValue, type Money, parseDecimal } from '@poshub/model';
import type { MapContext } from './map-context.ts';
import type { VendorJson } from './vendor-json.ts';

// Amounts beyond these bounds are junk, not money: refusing them early keeps every later step exact and cheap.
const MAX_EXPONENT = 15;
const MIN_EXPONENT = -20;

/**
 * Reads an amount written with more places than the currency has (Vend "269.90000", R-Series "0.9965025")
 * as an exact decimal. Records a problem and returns undefined when the value is missing or not a number.
 */
export function exactAmount(
  ctx: MapContext,
  value: VendorJson | undefined,
  pointer: string,
  what: string,
  opts: { required?: boolean } = {},
): BigValue | undefined {
  if (value === undefined || value === null || value === '') {
    return opts.required === false ? undefined : ctx.error('money.missing', pointer, `${what} is missing`);
  }
  if (typeof value !== 'string') {
    return ctx.error('money.not_a_number', pointer, `${what} must be a number`);
  }
  const parsed = parseDecimal(value);
  if (!parsed) return ctx.error('money.not_a_number', pointer, `${what} "${value}" is not a decimal amount`);
  if (!parsed.eq('0') && (parsed.e > MAX_EXPONENT || parsed.e < MIN_EXPONENT)) {
    return ctx.error('money.out_of_range', pointer, `${what} "${value}" is beyond the exact range`);
  }
  return parsed;
}

/** Money from a count of minor units; records a problem when it leaves the exact range of a JS number. */
export function moneyOfMinor(
  ctx: MapContext,
  minor: bigint,
  currency: string,
  exponent: number,
  pointer: string,
): Money | undefined {
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) {
    return ctx.error('money.out_of_range', pointer, 'amount is beyond the exact range');
  }
  return { minor: Number(minor) || 0, currency, exponent };
}
