import type { Tender } from '@poshub/model';

// Checked in order: "GiftCard" must not fall to card, "StoredValue" not to cash.
const TENDER_TYPES: ReadonlyArray<[RegExp, Tender['type']]> = [
  [/gift/i, 'gift_card'],
  [/store.?credit|stored.?value|credit.?note/i, 'store_credit'],
  [/voucher|coupon|certificate/i, 'voucher'],
  [/loyalty|points/i, 'loyalty_points'],
  [/mobile|wallet|apple.?pay|google.?pay/i, 'mobile_wallet'],
  [/^cash$|^cash[^a-z]|^currency$|^notes/i, 'cash'],
  [/account|charge|invoice/i, 'on_account'],
  [/credit|debit|card|eft|emv/i, 'card'],
];

/** Canonical tender type of a POSLog TenderType ("Cash", "CreditDebit", "GiftCard", "Voucher"...). */
export function tenderTypeOf(sourceType: string | undefined): Tender['type'] {
  if (!sourceType) return 'other';
  for (const [pattern, type] of TENDER_TYPES) if (pattern.test(sourceType.trim())) return type;
  return 'other';
}
