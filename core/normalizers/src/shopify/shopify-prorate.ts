import type { Money } from '@poshub/model';
import { Big } from '@poshub/model';
import type { MapContext } from '../map-context.ts';

/** A share of a line's quantity: refunded quantity over the quantity sold. */
export interface QuantityShare {
  part: string;
  whole: string;
}

/**
 * The part of an amount that belongs to part of a line (a partial refund), rounded half up; a warning
 * says so when rounding was needed, because the source then never stated the exact amount.
 */
export function prorate(
  ctx: MapContext,
  money: Money,
  share: QuantityShare | undefined,
  pointer: string,
): Money {
  if (!share || new Big(share.part).eq(share.whole) || new Big(share.whole).eq('0')) return money;
  const exact = new Big(String(money.minor)).times(share.part).div(share.whole);
  const rounded = exact.round(0, Big.roundHalfUp);
  if (!rounded.eq(exact)) {
    ctx.warn(
      'shopify.prorated',
      pointer,
      `amount of a partly refunded line prorated to ${share.part}/${share.whole} and rounded half up`,
    );
  }
  return { ...money, minor: Number(rounded.toFixed(0)) || 0 };
}
