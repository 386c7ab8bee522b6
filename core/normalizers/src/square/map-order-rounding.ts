import type { Money } from '@poshub/model';
import { formatMoney } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asArray, isObject } from '../vendor-json.ts';
import { squareMoney } from './square-money.ts';

type JsonObject = { [key: string]: VendorJson };

/** The cash rounding of a Square order and the total it leads to. */
export interface SquareRounding {
  cashRounding?: Money;
  total: Money;
}

function roundingAmounts(ctx: MapContext, order: JsonObject, at: string, currency: string): number[] {
  const found: number[] = [];
  const read = (holder: VendorJson | undefined, pointer: string) => {
    const adjustment = isObject(holder) ? holder.rounding_adjustment : undefined;
    if (!isObject(adjustment)) return;
    const amount = squareMoney(
      ctx,
      adjustment.amount_money,
      `${pointer}/rounding_adjustment/amount_money`,
      currency,
    );
    if (amount && amount.minor !== 0) found.push(Math.abs(amount.minor));
  };
  read(order, at);
  for (const [r, entry] of asArray(order.returns).entries()) read(entry, `${at}/returns/${r}`);
  return found;
}

// Does some choice of signs for the adjustments add up to `target`?
function reachable(amounts: number[], target: number): boolean {
  for (let mask = 0; mask < 1 << amounts.length; mask++) {
    const sum = amounts.reduce((s, a, i) => s + (mask & (1 << i) ? -a : a), 0);
    if (sum === target) return true;
  }
  return false;
}

/**
 * Square's `rounding_adjustment` (on the order and on each return) is documented as "a positive rounding
 * adjustment" on the order, "positive or negative" on a return, and its Money may be unsigned: its
 * direction is not in the field. It is read from the order's own totals instead. The difference between
 * the stated total and what lines, discounts, taxes and fees come to is the cash rounding when some signing
 * of the adjustments makes it. Should total_money leave the rounding out, the cash tendered shows it: the
 * total then becomes what was tendered, with a warning.
 */
export function resolveSquareRounding(
  ctx: MapContext,
  order: JsonObject,
  at: string,
  stated: Money,
  computed: number,
  tendered: number | undefined,
): SquareRounding {
  const amounts = roundingAmounts(ctx, order, at, stated.currency);
  if (amounts.length === 0) return { total: stated };
  const residual = stated.minor - computed;
  if (residual !== 0 && reachable(amounts, residual)) {
    return { cashRounding: { ...stated, minor: residual }, total: stated };
  }
  if (residual === 0 && tendered !== undefined && tendered !== stated.minor) {
    const diff = tendered - stated.minor;
    if (reachable(amounts, diff)) {
      ctx.warn(
        'square.rounding_outside_total',
        `${at}/rounding_adjustment`,
        `the order total leaves out its cash rounding: the total is what was tendered, ${formatMoney({ ...stated, minor: tendered })} ${stated.currency}`,
      );
      return { cashRounding: { ...stated, minor: diff }, total: { ...stated, minor: tendered } };
    }
  }
  ctx.warn(
    'square.rounding_unexplained',
    `${at}/rounding_adjustment`,
    'the rounding adjustment does not explain the difference between the lines and the order total',
  );
  return { total: stated };
}
