import type { Money, Problem, Timestamp } from '@poshub/model';
import {
  currencyInfo,
  moneyFromMinor,
  normalizeDecimal,
  parseMoney,
  type SubMinorPolicy,
} from '@poshub/model';
import { parseTimestamp } from './timestamp.ts';
import type { VendorJson } from './vendor-json.ts';

/**
 * Collects problems while a mapper reads a vendor document, so a mapper reads straight through and reports
 * every problem at once instead of stopping at the first. Each reader returns undefined on failure.
 */
export class MapContext {
  readonly problems: Problem[] = [];
  readonly warnings: Problem[] = [];
  private readonly zone: string | undefined;

  constructor(opts: { zone?: string | undefined } = {}) {
    this.zone = opts.zone;
  }

  /** Records an error at a pointer. */
  error(code: string, pointer: string, message: string): undefined {
    this.problems.push({ code, pointer, message, severity: 'error' });
    return undefined;
  }

  /** Records a warning: the event is still produced. */
  warn(code: string, pointer: string, message: string): void {
    this.warnings.push({ code, pointer, message, severity: 'warning' });
  }

  get failed(): boolean {
    return this.problems.length > 0;
  }

  /** A required text value. */
  text(value: VendorJson | string | undefined, pointer: string, what: string): string | undefined {
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    return this.error('field.missing', pointer, `${what} is missing`);
  }

  /** A currency code the document gives, falling back to the caller's; must be an ISO 4217 money currency. */
  currency(value: string | undefined, pointer: string, fallback?: string): string | undefined {
    const code = value && value.toUpperCase() !== 'XXX' ? value.trim().toUpperCase() : fallback;
    if (!code)
      return this.error('currency.missing', pointer, 'the document names no currency: pass --currency');
    if (!currencyInfo(code))
      return this.error('currency.unknown', pointer, `"${code}" is not an ISO 4217 currency`);
    return code;
  }

  /** Money from decimal text in major units. */
  money(
    value: VendorJson | string | undefined,
    currency: string,
    pointer: string,
    subMinor: SubMinorPolicy = 'reject',
  ): Money | undefined {
    if (typeof value !== 'string' || value.trim() === '')
      return this.error('money.missing', pointer, 'amount is missing');
    const result = parseMoney(value, currency, subMinor);
    if (!result.ok) return this.error(result.error.code, pointer, result.error.message);
    return result.value;
  }

  /** Money from integer minor units (Square, Adyen notifications). */
  minorMoney(value: VendorJson | string | undefined, currency: string, pointer: string): Money | undefined {
    if (typeof value !== 'string' || value.trim() === '')
      return this.error('money.missing', pointer, 'amount is missing');
    const result = moneyFromMinor(value, currency);
    if (!result.ok) return this.error(result.error.code, pointer, result.error.message);
    return result.value;
  }

  /** A decimal quantity in canonical text. */
  decimal(value: VendorJson | string | undefined, pointer: string, what = 'quantity'): string | undefined {
    if (typeof value !== 'string') return this.error('field.missing', pointer, `${what} is missing`);
    const text = normalizeDecimal(value);
    if (text === undefined)
      return this.error('decimal.invalid', pointer, `${what} "${value}" is not a decimal number`);
    return text;
  }

  /** A timestamp; local times are placed in the store's zone when one was given. */
  timestamp(
    value: VendorJson | string | undefined,
    pointer: string,
    opts: { assumeUtc?: boolean } = {},
  ): Timestamp | undefined {
    if (typeof value !== 'string' || value.trim() === '')
      return this.error('time.missing', pointer, 'timestamp is missing');
    const result = parseTimestamp(value, { zone: this.zone, ...opts });
    if (!result.ok) return this.error(result.error.code, pointer, result.error.message);
    return result.value;
  }
}
