import type { CardDetails, Tender } from '@poshub/model';
import type { VendorJson } from '../vendor-json.ts';
import { asText, isObject } from '../vendor-json.ts';

// Gateways that take cards. "bogus" is Shopify's test card gateway.
const CARD_GATEWAYS = new Set([
  'shopify_payments',
  'bogus',
  'authorize_net',
  'stripe',
  'braintree',
  'moneris',
  'adyen',
  'paypal_pro',
  'elavon',
  'worldpay',
]);

/** The tender type of a Shopify payment gateway name; card details make an unknown gateway a card. */
export function shopifyTenderType(gateway: string | undefined, details?: VendorJson): Tender['type'] {
  const name = gateway?.trim().toLowerCase() ?? '';
  if (name === 'cash') return 'cash';
  if (name === 'gift_card' || name === 'gift card') return 'gift_card';
  if (name === 'shopify_store_credit' || name === 'store_credit' || name === 'store credit')
    return 'store_credit';
  if (CARD_GATEWAYS.has(name)) return 'card';
  if (isObject(details) && asText(details.credit_card_company)) return 'card';
  return 'other';
}

/**
 * Brand and last four digits from Shopify `payment_details`. The number there is already masked
 * ("XXXX-XXXX-XXXX-4242", "•••• •••• •••• 4242"): only its last four digits are kept.
 */
export function shopifyCard(details: VendorJson | undefined): CardDetails | undefined {
  if (!isObject(details)) return undefined;
  const card: CardDetails = {};
  const brand = asText(details.credit_card_company);
  if (brand) card.brand = brand;
  const last4 = /(\d{4})\s*$/.exec(asText(details.credit_card_number) ?? '')?.[1];
  if (last4) card.last4 = last4;
  return Object.keys(card).length > 0 ? card : undefined;
}
