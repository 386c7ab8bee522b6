import { jsonNormalizer, refuseDocument } from '../json-normalizer.ts';
import type { NormalizedCandidate, NormalizeOptions } from '../normalizer.ts';
import { mapShopifyCustomer } from './map-customer.ts';
import { mapShopifyInventoryLevel } from './map-inventory-level.ts';
import { mapShopifyOrder } from './map-order.ts';
import { mapShopifyRefund } from './map-refund.ts';
import { type ShopifyResource, shopifyResources } from './shopify-resources.ts';

// Keys only Shopify's Admin REST resources use. Square, Lightspeed and Adyen documents have none of them.
const SIGNATURE =
  /"(financial_status|refund_line_items|inventory_item_id|verified_email|accepts_marketing|email_marketing_consent|presentment_currency|total_line_items_price)"\s*:|"gid:\/\/shopify\//;

/** True when the head of a document looks like a Shopify Admin REST resource or webhook body. */
export function looksLikeShopify(head: string): boolean {
  return /^\s*[[{]/.test(head) && SIGNATURE.test(head);
}

function mapResource(resource: ShopifyResource, options: NormalizeOptions): NormalizedCandidate {
  switch (resource.kind) {
    case 'order':
      return mapShopifyOrder(resource.value, resource.pointer, options);
    case 'refund':
      return mapShopifyRefund(resource.value, resource.pointer, options);
    case 'inventory_level':
      return mapShopifyInventoryLevel(resource.value, resource.pointer, options);
    case 'customer':
      return mapShopifyCustomer(resource.value, resource.pointer, options);
  }
}

/**
 * Shopify Admin REST: orders (POS and online), refunds, inventory levels and customers, wrapped as the API
 * answers (`{"order": {...}}`, `{"orders": [...]}`) or bare as webhook bodies.
 */
export const shopifyNormalizer = jsonNormalizer({
  format: 'shopify',
  description:
    'Shopify Admin REST orders, refunds, inventory levels and customers (API responses or webhook bodies)',
  detect: looksLikeShopify,
  *map(root, options) {
    const resources = shopifyResources(root);
    if (resources?.length === 0) {
      yield refuseDocument('document.nothing', 'the document lists no Shopify resources');
      return;
    }
    if (!resources) {
      yield refuseDocument(
        'shopify.unsupported',
        'not a Shopify order, refund, inventory level or customer (wrapped or bare)',
      );
      return;
    }
    for (const resource of resources) yield mapResource(resource, options);
  },
});
