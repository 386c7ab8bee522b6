import Big from 'big.js';
import { z } from 'zod';

// Strict mode: Big refuses JS numbers, so no value can reach it through a binary float.
const StrictBig = Big();
StrictBig.strict = true;
StrictBig.DP = 20;
StrictBig.RM = StrictBig.roundHalfUp;

export { StrictBig as Big };
export type BigValue = InstanceType<typeof StrictBig>;

const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const CANONICAL_DECIMAL_RE = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** A decimal number written as text, canonical form: optional minus, no exponent, no leading zeros. */
export const Decimal = z
  .string()
  .regex(CANONICAL_DECIMAL_RE, 'must be a decimal number written as text, e.g. "1.25" or "-0.420"')
  .describe('Decimal number as text (no float on the way in or out).');
export type Decimal = z.infer<typeof Decimal>;

/** Parses decimal text as a vendor writes it ("1.", ".5", "+2", "1e3", " 3.10 "); undefined when it is not a number. */
export function parseDecimal(raw: string): BigValue | undefined {
  const text = raw.trim();
  if (!DECIMAL_RE.test(text)) return undefined;
  return new StrictBig(text.startsWith('+') ? text.slice(1) : text);
}

/** Canonical decimal text of a Big, keeping its scale ("1.50" stays "1.50"); "-0" becomes "0". */
export function toDecimalText(value: BigValue, minScale = 0): Decimal {
  const scale = Math.max(minScale, Math.max(0, (value.c.length - 1 - value.e) | 0));
  const text = value.toFixed(scale);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** Normalises decimal text to canonical form, keeping the places the source wrote; undefined when invalid. */
export function normalizeDecimal(raw: string): Decimal | undefined {
  const value = parseDecimal(raw);
  if (!value) return undefined;
  const fraction =
    raw
      .trim()
      .replace(/[eE].*$/, '')
      .split('.')[1] ?? '';
  return toDecimalText(value, /[eE]/.test(raw) ? 0 : fraction.length);
}
