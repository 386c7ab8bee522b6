import type { Discount, Money } from '@poshub/model';
import { negateMoney, normalizeDecimal } from '@poshub/model';
import type { VendorJson } from '../vendor-json.ts';
import { asText, isObject } from '../vendor-json.ts';

/**
 * A canonical discount for money a Shopify discount application took off, signed by `sign` (+1 for a sold
 * line: the discount lowers takings; -1 for a returned line). The application (`discount_applications[i]`)
 * says whether it was a code, a manual or an automatic discount, and its percentage.
 */
export function shopifyDiscount(amount: Money, application: VendorJson | undefined, sign: 1 | -1): Discount {
  const discount: Discount = { kind: 'other', amount: sign > 0 ? negateMoney(amount) : amount };
  if (!isObject(application)) return discount;
  const type = asText(application.type);
  const valueType = asText(application.value_type);
  const value = asText(application.value);
  if (type === 'discount_code') discount.kind = 'coupon';
  else if (valueType === 'percentage') discount.kind = 'percent';
  else if (valueType === 'fixed_amount') discount.kind = 'amount';
  if (valueType === 'percentage' && value) {
    const percentage = normalizeDecimal(value);
    if (percentage) discount.percentage = percentage;
  }
  const code = asText(application.code);
  if (code) discount.code = code;
  const description = asText(application.title) ?? asText(application.description);
  if (description) discount.description = description;
  return discount;
}
