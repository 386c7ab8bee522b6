import { type Money, naturalKeyText, type RetailTransaction } from '@poshub/model';
import { MoneySum, toMoney } from './money-sum.ts';

/** The kinds of retail transaction a sales journal holds. */
export const RETAIL_KINDS = ['sale', 'return', 'exchange', 'void', 'post_void'] as const;
/** One of {@link RETAIL_KINDS}. */
export type RetailKind = (typeof RETAIL_KINDS)[number];

/** Sales, returns and exchanges are takings; a void never completed and a post-void undid one. */
const TAKINGS: ReadonlySet<string> = new Set(['sale', 'return', 'exchange']);

/** One tax rate's taxable base and tax, in one currency. */
export interface TaxRateTotal {
  rate: string | null;
  code: string | null;
  included: boolean;
  taxable: Money;
  tax: Money;
  /** False when a transaction-level tax stated no taxable amount (its base is not in `taxable`). */
  taxableComplete: boolean;
}

/** What a set of retail transactions adds up to. Every amount is signed as it affects the takings. */
export interface SalesTallyView {
  transactions: Record<RetailKind, number> & {
    /** Sales, returns and exchanges undone by a post-void of the same day: counted, not in the totals. */
    postVoided: number;
  };
  /** The totals of sales, returns and exchanges (returns negative), per currency. */
  takings: Money[];
  byTaxRate: TaxRateTotal[];
  /** Net tendered (amount less change), declined legs left out. */
  byTender: Array<{ type: string; amount: Money; count: number }>;
  returns: { count: number; total: Money[] };
  /** Line and transaction discounts (negative on a sale), by kind. */
  discounts: Array<{ kind: string; amount: Money; count: number }>;
  voids: { count: number; total: Money[] };
  postVoids: { count: number; total: Money[] };
}

type SumEntry = { currency: string; exponent: number; minor: bigint; count: number };
type TaxEntry = Omit<TaxRateTotal, 'taxable' | 'tax'> & {
  currency: string;
  exponent: number;
  taxable: bigint;
  tax: bigint;
};

/** Trailing zeros of a rate dropped, so "20", "20.0" and "20.00" are one rate. */
function rateKey(rate: string | undefined): string | null {
  if (rate === undefined) return null;
  return /^-?\d+\.\d+$/.test(rate) ? rate.replace(/0+$/, '').replace(/\.$/, '') : rate;
}

/**
 * The transactions a post-void undoes, by business key: each post-void link to another transaction (a
 * post-void that is the voided transaction itself links to its own key and undoes nothing else). A link
 * that leaves out the store or the day is taken to mean the post-void's own.
 */
export function postVoidedKeys(t: RetailTransaction): string[] {
  if (t.kind !== 'post_void') return [];
  const own = naturalKeyText(t.key);
  const keys: string[] = [];
  for (const link of t.links) {
    if (link.kind !== 'post_void' || !link.key?.workstationId || !link.key.sequence) continue;
    const key = naturalKeyText({
      storeId: link.key.storeId ?? t.key.storeId,
      workstationId: link.key.workstationId,
      businessDay: link.key.businessDay ?? t.key.businessDay,
      sequence: link.key.sequence,
    });
    if (key !== own) keys.push(key);
  }
  return keys;
}

/**
 * Adds up retail transactions the way an ERP books a day and a till closes it: counts by kind, takings,
 * taxes by rate, tenders by type, discounts, returns, voids and post-voids. Exact (bigint minor units),
 * one pass, memory bounded by the number of rates, tender types and currencies, not of transactions.
 */
export class SalesTally {
  readonly #counts: Record<RetailKind, number> = { sale: 0, return: 0, exchange: 0, void: 0, post_void: 0 };
  #postVoided = 0;
  readonly #takings = new MoneySum();
  readonly #returns = { count: 0, total: new MoneySum() };
  readonly #voids = { count: 0, total: new MoneySum() };
  readonly #postVoids = { count: 0, total: new MoneySum() };
  readonly #taxes = new Map<string, TaxEntry>();
  readonly #tenders = new Map<string, SumEntry & { type: string }>();
  readonly #discounts = new Map<string, SumEntry & { kind: string }>();

  /** Adds one transaction; `postVoided` when a post-void of the same day undid it. */
  add(t: RetailTransaction, opts: { postVoided?: boolean } = {}): void {
    this.#counts[t.kind]++;
    if (t.kind === 'void') {
      this.#voids.count++;
      this.#voids.total.add(t.total);
      return;
    }
    if (t.kind === 'post_void') {
      this.#postVoids.count++;
      this.#postVoids.total.add(t.total);
      return;
    }
    if (!TAKINGS.has(t.kind)) return;
    if (opts.postVoided) {
      this.#postVoided++;
      return;
    }
    this.#takings.add(t.total);
    if (t.kind === 'return') {
      this.#returns.count++;
      this.#returns.total.add(t.total);
    }
    for (const line of t.lines) {
      if (line.voided) continue;
      let net = BigInt(line.extendedAmount.minor);
      for (const d of line.discounts) {
        this.#discount(d.kind, d.amount);
        net += BigInt(d.amount.minor);
      }
      this.#taxesOn(line.taxes, net);
    }
    for (const d of t.discounts) this.#discount(d.kind, d.amount);
    for (const fee of t.fees) this.#taxesOn(fee.taxes, BigInt(fee.amount.minor));
    this.#taxesOn(t.taxes, undefined);
    for (const tender of t.tenders) {
      if (tender.status === 'declined') continue;
      const { currency, exponent } = tender.amount;
      const k = `${tender.type}\u0000${currency}`;
      const entry = this.#tenders.get(k) ?? { type: tender.type, currency, exponent, minor: 0n, count: 0 };
      this.#tenders.set(k, entry);
      entry.minor += BigInt(tender.amount.minor) - BigInt(tender.change?.minor ?? 0);
      entry.count++;
    }
  }

  /** Taxes on an amount whose net (after discounts) is `net`; undefined when the base is not known. */
  #taxesOn(taxes: RetailTransaction['taxes'], net: bigint | undefined): void {
    if (taxes.length === 0) return;
    // Taxes inside the price are inside the net too: the base is the net without them.
    const inside = taxes.reduce((sum, x) => (x.included ? sum + BigInt(x.amount.minor) : sum), 0n);
    for (const tax of taxes) {
      const rate = rateKey(tax.rate);
      const { currency, exponent } = tax.amount;
      const k = [currency, rate ?? '', tax.code ?? '', tax.included ? 'i' : 'e'].join('\u0000');
      const entry = this.#taxes.get(k) ?? {
        rate,
        code: tax.code ?? null,
        included: tax.included,
        taxable: 0n,
        tax: 0n,
        taxableComplete: true,
        currency,
        exponent,
      };
      this.#taxes.set(k, entry);
      entry.tax += BigInt(tax.amount.minor);
      if (tax.taxableAmount) entry.taxable += BigInt(tax.taxableAmount.minor);
      else if (net !== undefined) entry.taxable += net - inside;
      else entry.taxableComplete = false;
    }
  }

  #discount(kind: string, amount: Money): void {
    const k = `${kind}\u0000${amount.currency}`;
    const entry = this.#discounts.get(k) ?? {
      kind,
      currency: amount.currency,
      exponent: amount.exponent,
      minor: 0n,
      count: 0,
    };
    this.#discounts.set(k, entry);
    entry.minor += BigInt(amount.minor);
    entry.count++;
  }

  /** Transactions added, every kind. */
  get count(): number {
    return Object.values(this.#counts).reduce((a, b) => a + b, 0);
  }

  /** Takings in one currency (zero when none). */
  takingsIn(currency: string, exponent: number): Money {
    return this.#takings.in(currency, exponent);
  }

  /** Return totals in one currency (zero when none). */
  returnsIn(currency: string, exponent: number): Money {
    return this.#returns.total.in(currency, exponent);
  }

  /** The tally as data, every list in a stable order. */
  view(): SalesTallyView {
    const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return {
      transactions: { ...this.#counts, postVoided: this.#postVoided },
      takings: this.#takings.list(),
      // By currency, then rate as a number (lowest first, none last), code, prices without tax first.
      byTaxRate: [...this.#taxes.values()]
        .sort(
          (a, b) =>
            byText(a.currency, b.currency) ||
            (a.rate === null ? 1 : 0) - (b.rate === null ? 1 : 0) ||
            Number(a.rate ?? 0) - Number(b.rate ?? 0) ||
            byText(a.rate ?? '', b.rate ?? '') ||
            byText(a.code ?? '', b.code ?? '') ||
            Number(a.included) - Number(b.included),
        )
        .map((e) => ({
          rate: e.rate,
          code: e.code,
          included: e.included,
          taxable: toMoney(e.currency, e.exponent, e.taxable),
          tax: toMoney(e.currency, e.exponent, e.tax),
          taxableComplete: e.taxableComplete,
        })),
      byTender: [...this.#tenders.entries()]
        .sort(([a], [b]) => byText(a, b))
        .map(([, e]) => ({ type: e.type, amount: toMoney(e.currency, e.exponent, e.minor), count: e.count })),
      returns: { count: this.#returns.count, total: this.#returns.total.list() },
      discounts: [...this.#discounts.entries()]
        .sort(([a], [b]) => byText(a, b))
        .map(([, e]) => ({ kind: e.kind, amount: toMoney(e.currency, e.exponent, e.minor), count: e.count })),
      voids: { count: this.#voids.count, total: this.#voids.total.list() },
      postVoids: { count: this.#postVoids.count, total: this.#postVoids.total.list() },
    };
  }
}
