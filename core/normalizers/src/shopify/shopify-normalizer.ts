import type { DocumentInput, NormalizedCandidate, NormalizeOptions, Normalizer } from '../normalizer.ts';
import { parseVendorJson } from '../vendor-json.ts';
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
export const shopifyNormalizer: Normalizer = {
  format: 'shopify',
  description:
    'Shopify Admin REST orders, refunds, inventory levels and customers (API responses or webhook bodies)',
  detect: looksLikeShopify,
  async *normalize(input: DocumentInput, options: NormalizeOptions): AsyncIterable<NormalizedCandidate> {
    const parsed = parseVendorJson(await input.text());
    if (!parsed.ok) {
      yield {
        ok: false,
        problems: [
          {
            code: 'json.invalid',
            pointer: '',
            message: `not valid JSON: ${parsed.message}`,
            severity: 'error',
          },
        ],
      };
      return;
    }
    const resources = shopifyResources(parsed.value);
    if (resources?.length === 0) {
      yield {
        ok: false,
        problems: [
          {
            code: 'document.nothing',
            pointer: '',
            message: 'the document lists no Shopify resources',
            severity: 'error',
          },
        ],
      };
      return;
    }
    if (!resources) {
      yield {
        ok: false,
        problems: [
          {
            code: 'shopify.unsupported',
            pointer: '',
            message: 'not a Shopify order, refund, inventory level or customer (wrapped or bare)',
            severity: 'error',
          },
        ],
      };
      return;
    }
    for (const resource of resources) yield mapResource(resource, options);
  },
};
