import type { Tender } from '@poshub/model';

// Lightspeed's built-in payment type ids; retailers name their own payment types freely ("Heist Pay").
const BY_TYPE_ID: Record<string, Tender['type']> = { '1': 'cash', '3': 'card' };

/** The canonical tender type of a payment, from Lightspeed's payment type id or, failing that, its names. */
export function tenderTypeOf(
  typeId: string | undefined,
  names: ReadonlyArray<string | undefined>,
): Tender['type'] {
  const byId = typeId ? BY_TYPE_ID[typeId] : undefined;
  if (byId) return byId;
  for (const name of names) {
    const n = name?.toLowerCase() ?? '';
    if (n === '') continue;
    if (/\bcash\b/.test(n)) return 'cash';
    if (/gift/.test(n)) return 'gift_card';
    if (/voucher|coupon/.test(n)) return 'voucher';
    if (/store credit/.test(n)) return 'store_credit';
    if (/loyalty|points/.test(n)) return 'loyalty_points';
    if (/account|layby|lay-by/.test(n)) return 'on_account';
    if (/apple pay|google pay|wallet|alipay|wechat/.test(n)) return 'mobile_wallet';
    if (/card|credit|debit|eftpos|visa|master|amex|maestro|tyro|adyen|vantiv|smartpay|izettle/.test(n))
      return 'card';
  }
  return 'other';
}
