import type { Tender } from '@poshub/model';

// R-Series PaymentType.type values; retailers add their own payment types with free names.
const BY_TYPE: Record<string, Tender['type']> = {
  cash: 'cash',
  'credit card': 'card',
  'debit card': 'card',
  'gift card': 'gift_card',
  'credit account': 'on_account',
  check: 'other',
  ecom: 'other',
};

/** The canonical tender type of an R-Series payment, from its PaymentType `type`, then its name. */
export function rTenderType(type: string | undefined, name: string | undefined): Tender['type'] {
  const byType = type ? BY_TYPE[type.trim().toLowerCase()] : undefined;
  if (byType && byType !== 'other') return byType;
  const n = (name ?? '').toLowerCase();
  if (/\bcash\b/.test(n)) return 'cash';
  if (/gift/.test(n)) return 'gift_card';
  if (/account|store credit/.test(n)) return 'on_account';
  if (/card|credit|debit|visa|master|amex|eftpos/.test(n)) return 'card';
  return byType ?? 'other';
}
