import type { Discount } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import { readMoney } from './read-money.ts';
import { child, childText, pointerOf, type XmlElement } from './xml-element.ts';

/** A loyalty reward that takes money off, with the key that identifies the reward across its restatements. */
export interface LoyaltyRewardDiscount {
  discount: Discount;
  /** PromotionID|EventID: NCR lists one reward twice (a detailed and a summarized line). */
  rewardKey: string;
}

/**
 * An NCR LoyaltyReward line: a negative ExtendedRewardAmount is money off the transaction (a
 * transaction-level discount of kind loyalty_reward). Positive or zero amounts are points, messages or
 * offer counters, not money, and give undefined.
 */
export function readLoyaltyReward(
  ctx: MapContext,
  el: XmlElement,
  currency: string,
): LoyaltyRewardDiscount | undefined {
  const amountEl = child(el, 'ExtendedRewardAmount');
  const amount = readMoney(ctx, amountEl, currency, { optional: true });
  if (!amount || amount.minor >= 0) return undefined;
  const promotionId = childText(el, 'PromotionID');
  const eventId = childText(el, 'EventID');
  const discount: Discount = { kind: 'loyalty_reward', amount };
  if (promotionId) discount.promotionId = promotionId;
  const description = childText(el, 'RewardType') ?? childText(el, 'Description');
  if (description) discount.description = description;
  // Without promotion and event ids a reward cannot be matched to a restatement: it counts on its own.
  const rewardKey = promotionId || eventId ? `${promotionId ?? ''}|${eventId ?? ''}` : pointerOf(el);
  return { discount, rewardKey };
}
