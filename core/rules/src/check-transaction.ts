import type { Money, Problem, RetailTransaction } from '@poshub/model';
import { formatMoney, moneyText } from '@poshub/model';

// Smallest coin by currency where cash payments are rounded (used only to name the problem precisely).
const CASH_ROUNDING_MINOR: Record<string, number> = {
  CHF: 5,
  CAD: 5,
  AUD: 5,
  NZD: 10,
  DKK: 50,
  SEK: 100,
  NOK: 100,
};

function sum(amounts: Iterable<Money | undefined>): number {
  let total = 0n;
  for (const m of amounts) if (m) total += BigInt(m.minor);
  return Number(total);
}

function problem(code: string, pointer: string, message: string): Problem {
  return { code, pointer, message, severity: 'error' };
}

/** A minor-unit amount in the transaction's currency, as people read it ("12.30 USD"). */
function fmt(minor: number, t: RetailTransaction): string {
  return moneyText({ minor, currency: t.currency, exponent: t.total.exponent });
}

/** Every Money in the transaction, with its JSON pointer below `base`. */
function* moneyFields(t: RetailTransaction, base: string): Generator<[string, Money]> {
  yield [`${base}/total`, t.total];
  if (t.cashRounding) yield [`${base}/cashRounding`, t.cashRounding];
  for (const [i, line] of t.lines.entries()) {
    yield [`${base}/lines/${i}/extendedAmount`, line.extendedAmount];
    for (const [j, d] of line.discounts.entries())
      yield [`${base}/lines/${i}/discounts/${j}/amount`, d.amount];
    for (const [j, x] of line.taxes.entries()) yield [`${base}/lines/${i}/taxes/${j}/amount`, x.amount];
  }
  for (const [i, d] of t.discounts.entries()) yield [`${base}/discounts/${i}/amount`, d.amount];
  for (const [i, x] of t.taxes.entries()) yield [`${base}/taxes/${i}/amount`, x.amount];
  for (const [i, f] of t.fees.entries()) yield [`${base}/fees/${i}/amount`, f.amount];
  for (const [i, tender] of t.tenders.entries()) {
    yield [`${base}/tenders/${i}/amount`, tender.amount];
    if (tender.change) yield [`${base}/tenders/${i}/change`, tender.change];
  }
}

/** The total the lines, discounts, taxes added on top, fees and cash rounding come to. */
export function computedTotal(t: RetailTransaction): number {
  const live = t.lines.filter((l) => !l.voided);
  return sum([
    ...live.map((l) => l.extendedAmount),
    ...live.flatMap((l) => l.discounts.map((d) => d.amount)),
    ...live.flatMap((l) => l.taxes.filter((x) => !x.included).map((x) => x.amount)),
    ...t.discounts.map((d) => d.amount),
    ...t.taxes.filter((x) => !x.included).map((x) => x.amount),
    ...t.fees.flatMap((f) => [f.amount, ...f.taxes.filter((x) => !x.included).map((x) => x.amount)]),
    t.cashRounding,
  ]);
}

/** What the tenders come to: amounts minus change handed back. */
export function tenderedTotal(t: RetailTransaction): number {
  return sum(t.tenders.map((x) => x.amount)) - sum(t.tenders.map((x) => x.change));
}

/**
 * Business rules of a retail transaction, beyond its shape: currencies agree, signs agree with each line's
 * direction and the transaction's kind, lines reconcile with the total and the total with the tenders.
 */
export function checkTransaction(t: RetailTransaction, base = '/data'): Problem[] {
  const problems: Problem[] = [];

  for (const [pointer, money] of moneyFields(t, base)) {
    if (money.currency !== t.currency) {
      problems.push(
        problem(
          'currency.mismatch',
          pointer,
          `amount is in ${money.currency}, the transaction is in ${t.currency}`,
        ),
      );
    }
  }
  if (problems.length > 0) return problems;

  for (const [i, line] of t.lines.entries()) {
    const at = `${base}/lines/${i}`;
    const sign = line.direction === 'sale' ? 1 : -1;
    const q = line.quantity.startsWith('-') ? -1 : /^[0.]+$/.test(line.quantity) ? 0 : 1;
    if (q !== 0 && q !== sign) {
      problems.push(
        problem(
          'sign.quantity',
          `${at}/quantity`,
          `a ${line.direction} line must have a ${sign > 0 ? 'positive' : 'negative'} quantity, got ${line.quantity}`,
        ),
      );
    }
    if (Math.sign(line.extendedAmount.minor) === -sign) {
      problems.push(
        problem(
          'sign.amount',
          `${at}/extendedAmount`,
          `a ${line.direction} line must have a ${sign > 0 ? 'positive' : 'negative'} amount, got ${formatMoney(line.extendedAmount)}`,
        ),
      );
    }
    for (const [j, d] of line.discounts.entries()) {
      if (Math.sign(d.amount.minor) === sign) {
        problems.push(
          problem(
            'sign.discount',
            `${at}/discounts/${j}/amount`,
            `a discount on a ${line.direction} line must ${sign > 0 ? 'lower' : 'raise'} the total (sign ${sign > 0 ? '-' : '+'})`,
          ),
        );
      }
    }
    for (const [j, x] of line.taxes.entries()) {
      if (Math.sign(x.amount.minor) === -sign) {
        problems.push(
          problem(
            'sign.tax',
            `${at}/taxes/${j}/amount`,
            `tax on a ${line.direction} line must carry the line's sign`,
          ),
        );
      }
    }
  }

  const live = t.lines.filter((l) => !l.voided);
  const hasSale = live.some((l) => l.direction === 'sale');
  const hasReturn = live.some((l) => l.direction === 'return');
  if (t.kind === 'sale' && hasReturn) {
    problems.push(
      problem('kind.mismatch', `${base}/kind`, 'a sale has return lines: send it as an exchange'),
    );
  }
  if (t.kind === 'return' && hasSale) {
    problems.push(
      problem('kind.mismatch', `${base}/kind`, 'a return has sale lines: send it as an exchange'),
    );
  }
  if (t.kind === 'sale' && t.total.minor < 0) {
    problems.push(
      problem(
        'sign.total',
        `${base}/total`,
        `a sale cannot have a negative total (${fmt(t.total.minor, t)})`,
      ),
    );
  }
  if (t.kind === 'return' && t.total.minor > 0) {
    problems.push(
      problem(
        'sign.total',
        `${base}/total`,
        `a return cannot have a positive total (${fmt(t.total.minor, t)})`,
      ),
    );
  }

  const computed = computedTotal(t);
  if (computed !== t.total.minor) {
    problems.push(
      problem(
        'totals.unbalanced',
        `${base}/total`,
        `lines, discounts, taxes and fees come to ${fmt(computed, t)} but the total is ${fmt(t.total.minor, t)}`,
      ),
    );
  }

  if (t.kind !== 'void') {
    const tendered = tenderedTotal(t);
    const diff = t.total.minor - tendered;
    if (diff !== 0) {
      const coin = CASH_ROUNDING_MINOR[t.currency];
      const cash = t.tenders.some((x) => x.type === 'cash');
      const unrecorded = cash && coin !== undefined && Math.abs(diff) * 2 <= coin && !t.cashRounding;
      problems.push(
        problem(
          unrecorded ? 'totals.cash_rounding_unrecorded' : 'tenders.unbalanced',
          `${base}/tenders`,
          unrecorded
            ? `tenders differ from the total by ${fmt(diff, t)}: record the cash rounding in cashRounding`
            : `tenders less change come to ${fmt(tendered, t)} but the total is ${fmt(t.total.minor, t)}`,
        ),
      );
    }
  }

  for (const [i, tender] of t.tenders.entries()) {
    if (tender.change && tender.change.minor < 0) {
      problems.push(
        problem(
          'sign.change',
          `${base}/tenders/${i}/change`,
          'change handed back is written as a positive amount',
        ),
      );
    }
  }
  return problems;
}
