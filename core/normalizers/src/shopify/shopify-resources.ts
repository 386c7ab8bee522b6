import type { VendorJson } from '../vendor-json.ts';
import { isObject } from '../vendor-json.ts';

/** The Shopify Admin REST resources poshub reads. */
export type ShopifyResourceKind = 'order' | 'refund' | 'inventory_level' | 'customer';

/** One resource found in a document, with the JSON pointer where it sits. */
export interface ShopifyResource {
  kind: ShopifyResourceKind;
  value: { [key: string]: VendorJson };
  pointer: string;
}

const WRAPPERS: Record<string, { kind: ShopifyResourceKind; list: boolean }> = {
  order: { kind: 'order', list: false },
  orders: { kind: 'order', list: true },
  refund: { kind: 'refund', list: false },
  refunds: { kind: 'refund', list: true },
  inventory_level: { kind: 'inventory_level', list: false },
  inventory_levels: { kind: 'inventory_level', list: true },
  customer: { kind: 'customer', list: false },
  customers: { kind: 'customer', list: true },
};

// Webhook bodies are the bare resource: tell them apart by keys only that resource has.
function bareKind(value: { [key: string]: VendorJson }): ShopifyResourceKind | undefined {
  if ('refund_line_items' in value || ('order_adjustments' in value && 'order_id' in value)) return 'refund';
  if ('line_items' in value && ('financial_status' in value || 'total_price' in value)) return 'order';
  if ('inventory_item_id' in value && 'available' in value) return 'inventory_level';
  if (
    !('line_items' in value) &&
    ('verified_email' in value ||
      'accepts_marketing' in value ||
      'email_marketing_consent' in value ||
      'orders_count' in value)
  )
    return 'customer';
  return undefined;
}

/**
 * The resources of a Shopify document: wrapped as the REST API answers (`{"order": {...}}`,
 * `{"orders": [...]}`), bare as a webhook body, or a JSON array of bare resources.
 */
export function shopifyResources(doc: VendorJson): ShopifyResource[] | undefined {
  if (Array.isArray(doc)) {
    const found: ShopifyResource[] = [];
    for (const [i, item] of doc.entries()) {
      const kind = isObject(item) ? bareKind(item) : undefined;
      if (!kind || !isObject(item)) return undefined;
      found.push({ kind, value: item, pointer: `/${i}` });
    }
    return found;
  }
  if (!isObject(doc)) return undefined;
  const keys = Object.keys(doc);
  const wrapper = keys.length === 1 ? WRAPPERS[keys[0]!] : undefined;
  if (wrapper) {
    const key = keys[0]!;
    const inner = doc[key];
    if (!wrapper.list)
      return isObject(inner) ? [{ kind: wrapper.kind, value: inner, pointer: `/${key}` }] : undefined;
    if (!Array.isArray(inner)) return undefined;
    const found: ShopifyResource[] = [];
    for (const [i, item] of inner.entries()) {
      if (!isObject(item)) return undefined;
      found.push({ kind: wrapper.kind, value: item, pointer: `/${key}/${i}` });
    }
    return found;
  }
  const kind = bareKind(doc);
  return kind ? [{ kind, value: doc, pointer: '' }] : undefined;
}
