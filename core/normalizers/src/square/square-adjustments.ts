import type { Discount } from '@poshub/model';
import type { VendorJson } from '../vendor-json.ts';
import { asArray, asText, isObject } from '../vendor-json.ts';

type JsonObject = { [key: string]: VendorJson };

/** Order-level taxes or discounts by their `uid`, which applied taxes and discounts on lines point at. */
export function byUid(list: VendorJson | undefined): Map<string, JsonObject> {
  const map = new Map<string, JsonObject>();
  for (const entry of asArray(list)) {
    const uid = isObject(entry) ? asText(entry.uid) : undefined;
    if (uid && isObject(entry)) map.set(uid, entry);
  }
  return map;
}

/** Whether a Square tax is inside the price: INCLUSIVE yes, ADDITIVE no, UNKNOWN_TAX (or none) unknown. */
export function squareTaxIncluded(tax: JsonObject | undefined): boolean | undefined {
  const type = tax ? asText(tax.type) : undefined;
  if (type === 'INCLUSIVE') return true;
  if (type === 'ADDITIVE') return false;
  return undefined;
}

/** The kind of a Square discount: loyalty rewards carry `reward_ids`, then by its type. */
export function squareDiscountKind(discount: JsonObject | undefined): Discount['kind'] {
  if (!discount) return 'other';
  if (asArray(discount.reward_ids).length > 0) return 'loyalty_reward';
  switch (asText(discount.type)) {
    case 'FIXED_PERCENTAGE':
    case 'VARIABLE_PERCENTAGE':
      return 'percent';
    case 'FIXED_AMOUNT':
    case 'VARIABLE_AMOUNT':
      return 'amount';
    default:
      return 'other';
  }
}
