import type { Money } from '@poshub/model';

/** Exact running sums of money, one per currency, in bigint minor units (never a float). */
export class MoneySum {
  readonly #sums = new Map<string, { exponent: number; minor: bigint }>();

  /** Adds an amount (minor units may be given as a bigint difference already computed). */
  add(money: Money, minor: bigint = BigInt(money.minor)): void {
    const sum = this.#sums.get(money.currency);
    if (sum) sum.minor += minor;
    else this.#sums.set(money.currency, { exponent: money.exponent, minor });
  }

  /** The sum in one currency, zero (with `exponent`) when nothing was added in it. */
  in(currency: string, exponent: number): Money {
    const sum = this.#sums.get(currency);
    return toMoney(currency, sum?.exponent ?? exponent, sum?.minor ?? 0n);
  }

  /** Currencies with a sum, sorted. */
  currencies(): string[] {
    return [...this.#sums.keys()].sort();
  }

  /** Every sum, by currency code. */
  list(): Money[] {
    return this.currencies().map((c) => this.in(c, 0));
  }
}

/** Money from a bigint count of minor units; throws past the exact range (no day's takings get there). */
export function toMoney(currency: string, exponent: number, minor: bigint): Money {
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`a sum in ${currency} left the exact range`);
  }
  return { minor: Number(minor) || 0, currency, exponent };
}
