import type { CardDetails, Tender } from '@poshub/model';
import type { VendorJson } from '../vendor-json.ts';
import { asText, isObject } from '../vendor-json.ts';

/**
 * Brand and last four of a Square `Card`, with funding and entry method. The BIN, expiry and fingerprint
 * Square also sends are left out: the model keeps brand and last four only.
 */
export function squareCard(card: VendorJson | undefined, entryMethod?: VendorJson): CardDetails | undefined {
  const details: CardDetails = {};
  if (isObject(card)) {
    const brand = asText(card.card_brand);
    if (brand) details.brand = brand;
    const last4 = asText(card.last_4);
    if (last4 && /^\d{4}$/.test(last4)) details.last4 = last4;
    const type = asText(card.card_type);
    if (asText(card.prepaid_type) === 'PREPAID') details.funding = 'prepaid';
    else if (type === 'CREDIT') details.funding = 'credit';
    else if (type === 'DEBIT') details.funding = 'debit';
    else if (type) details.funding = 'unknown';
  }
  const entry = asText(entryMethod);
  if (entry) details.entryMethod = entry;
  return Object.keys(details).length > 0 ? details : undefined;
}

/** The canonical tender type of a Square tender type, payment source type or refund destination type. */
export function squareTenderType(type: string | undefined): Tender['type'] {
  switch (type) {
    case 'CARD':
    case 'THIRD_PARTY_CARD':
      return 'card';
    case 'CASH':
      return 'cash';
    case 'SQUARE_GIFT_CARD':
      return 'gift_card';
    case 'WALLET':
      return 'mobile_wallet';
    default:
      // BANK_ACCOUNT, BUY_NOW_PAY_LATER, SQUARE_ACCOUNT, EXTERNAL, OTHER, NO_SALE: kept in sourceType.
      return 'other';
  }
}
