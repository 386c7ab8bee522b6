import type { Discount } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import { readMoney } from './read-money.ts';
import { attr, child, childText, pointerBelow, pointerOf, type XmlElement } from './xml-element.ts';

/** Kind of a discount from what the source says about it (method, reason, coupon number, percent). */
function discountKind(el: XmlElement, percentage: string | undefined): Discount['kind'] {
  const said = [attr(el, 'MethodCode'), attr(el, 'TypeCode'), childText(el, 'ReasonCode'), el.name]
    .filter(Boolean)
    .join(' ');
  if (/coupon/i.test(said) || child(el, 'CouponNumber')) return 'coupon';
  if (/override/i.test(said)) return 'price_override';
  if (/employee|staff/i.test(said)) return 'employee';
  if (/loyalty|reward/i.test(said)) return 'loyalty_reward';
  return percentage === undefined ? 'amount' : 'percent';
}

/**
 * A RetailPriceModifier (on a Sale/Return line) or a Discount line item: the amount unsigned (its sign is
 * set by the line it lowers), percent, promotion and reason. A modifier whose Action is "Add" raises the
 * price: it is not a discount and is left out with a warning.
 */
export function readDiscount(ctx: MapContext, el: XmlElement, currency: string): Discount | undefined {
  const amountEl = child(el, 'Amount') ?? (el.children.length === 0 ? el : undefined);
  const action = attr(amountEl, 'Action') ?? attr(el, 'Action');
  if (action && /^add$/i.test(action.trim())) {
    ctx.warn(
      'poslog.price_modifier_add',
      pointerOf(el),
      'a price modifier that adds to the price is not a discount: left out',
    );
    return undefined;
  }
  const amount = readMoney(ctx, amountEl, currency, { missingPointer: pointerBelow(el, 'Amount') });
  const percent = childText(el, 'Percent');
  const percentage =
    percent === undefined ? undefined : ctx.decimal(percent, pointerBelow(el, 'Percent'), 'discount percent');
  if (!amount) return undefined;
  const discount: Discount = {
    kind: discountKind(el, percentage),
    amount: { ...amount, minor: Math.abs(amount.minor) },
  };
  if (percentage !== undefined) discount.percentage = percentage.replace(/^-/, '');
  const promotionId = childText(el, 'PromotionID');
  const code = childText(el, 'CouponNumber') ?? childText(el, 'PromotionCode');
  const description = childText(el, 'Description') ?? childText(el, 'ReasonCode');
  if (promotionId) discount.promotionId = promotionId;
  if (code) discount.code = code;
  if (description) discount.description = description;
  return discount;
}
