import { jsonNormalizer, refuseDocument } from '../json-normalizer.ts';
import type { NormalizedCandidate, NormalizeOptions } from '../normalizer.ts';
import { mapSquareInventoryCounts } from './map-inventory-counts.ts';
import { mapSquareLoyaltyEvent } from './map-loyalty-event.ts';
import { mapSquareOrder } from './map-order.ts';
import { mapSquareOrderNotification } from './map-order-notification.ts';
import { mapSquarePayment } from './map-payment.ts';
import { mapSquarePaymentRefund } from './map-payment-refund.ts';
import { type SquareResource, squareResources } from './square-resources.ts';

// Square Money: integer minor units beside a "currency" key (Shopify's money bags say "currency_code" and
// write amounts as strings; Adyen says "value").
const MONEY =
  /"[a-z_]*money"\s*:\s*\{\s*("amount"\s*:\s*-?\d+\s*,\s*"currency"\s*:|"currency"\s*:\s*"[A-Za-z]{3}"\s*,\s*"amount"\s*:\s*-?\d)/;
const WEBHOOK =
  /"type"\s*:\s*"(order\.(created|updated|fulfillment\.updated)|payment\.(created|updated)|refund\.(created|updated)|inventory\.count\.updated|loyalty\.event\.created)"/;
const LOYALTY =
  /"loyalty_program_id"\s*:|"type"\s*:\s*"(ACCUMULATE_POINTS|ACCUMULATE_PROMOTION_POINTS|CREATE_REWARD|REDEEM_REWARD|DELETE_REWARD|ADJUST_POINTS|EXPIRE_POINTS)"/;
const COUNTS =
  /"catalog_object_id"\s*:[\s\S]*"calculated_at"\s*:|"calculated_at"\s*:[\s\S]*"catalog_object_id"\s*:/;

/** True when the head of a document looks like a Square API response or webhook. */
export function looksLikeSquare(head: string): boolean {
  if (!/^\s*\{/.test(head) || /"(shop_money|presentment_money)"\s*:/.test(head)) return false;
  if (WEBHOOK.test(head) && /"merchant_id"\s*:/.test(head)) return true;
  return MONEY.test(head) || LOYALTY.test(head) || COUNTS.test(head);
}

function mapResource(resource: SquareResource, options: NormalizeOptions): NormalizedCandidate[] {
  const { value, pointer, webhook } = resource;
  switch (resource.kind) {
    case 'order':
      return [mapSquareOrder(value, pointer, options)];
    case 'order_notification':
      return webhook ? [mapSquareOrderNotification(value, pointer, options, webhook)] : [];
    case 'payment':
      return [mapSquarePayment(value, pointer, options, webhook)];
    case 'payment_refund':
      return [mapSquarePaymentRefund(value, pointer, options, webhook)];
    case 'inventory_counts':
      return mapSquareInventoryCounts(value, pointer, options, webhook);
    case 'loyalty_event':
      return [mapSquareLoyaltyEvent(value, pointer, options, webhook)];
  }
}

/**
 * Square: orders (sales, returns, exchanges, voids; open orders as order events), payments, payment refunds,
 * inventory counts and loyalty events, as API responses or webhooks, including the thin order webhooks.
 */
export const squareNormalizer = jsonNormalizer({
  format: 'square',
  description:
    'Square orders, payments, refunds, inventory counts and loyalty events (API responses or webhooks)',
  detect: looksLikeSquare,
  *map(root, options) {
    const resources = squareResources(root);
    if (!Array.isArray(resources)) {
      yield { ok: false, problems: [{ ...resources, pointer: '', severity: 'error' }] };
      return;
    }
    if (resources.length === 0) {
      yield refuseDocument('document.nothing', 'the document lists no Square objects');
      return;
    }
    for (const resource of resources) yield* mapResource(resource, options);
  },
});
