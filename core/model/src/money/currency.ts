import currencyCodes from 'currency-codes';

/** ISO 4217 facts about one currency, from the `currency-codes` table. */
export interface CurrencyInfo {
  code: string;
  /** Number of digits after the decimal point in the minor unit (JPY 0, EUR 2, KWD 3). */
  exponent: number;
}

// Codes that exist in ISO 4217 but carry no money (testing, precious metals, "no currency").
const NON_MONEY = new Set([
  'XXX',
  'XTS',
  'XAU',
  'XAG',
  'XPD',
  'XPT',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XSU',
  'XUA',
]);

// The table is searched linearly by the library; normalisers ask for the same few codes constantly.
const cache = new Map<string, CurrencyInfo | undefined>();

/** Returns the ISO 4217 entry for a code, or undefined when it is not an active money currency. */
export function currencyInfo(code: string): CurrencyInfo | undefined {
  if (cache.has(code)) return cache.get(code);
  let info: CurrencyInfo | undefined;
  if (/^[A-Z]{3}$/.test(code) && !NON_MONEY.has(code)) {
    const entry = currencyCodes.code(code);
    if (entry && typeof entry.digits === 'number') info = Object.freeze({ code, exponent: entry.digits });
  }
  if (cache.size < 1000) cache.set(code, info);
  return info;
}

/** True when `code` is an ISO 4217 currency that carries money. */
export function isCurrency(code: string): boolean {
  return currencyInfo(code) !== undefined;
}
