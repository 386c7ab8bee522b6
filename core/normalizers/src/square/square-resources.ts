import type { VendorJson } from '../vendor-json.ts';
import { asText, isObject } from '../vendor-json.ts';

/** The Square objects poshub reads. */
export type SquareResourceKind =
  | 'order'
  | 'order_notification'
  | 'payment'
  | 'payment_refund'
  | 'inventory_counts'
  | 'loyalty_event';

/** The webhook envelope around an object, when the document is a webhook. */
export interface SquareWebhook {
  type: string;
  eventId: string | undefined;
  merchantId: string | undefined;
}

/** One object found in a document, with the JSON pointer where it sits. */
export interface SquareResource {
  kind: SquareResourceKind;
  value: VendorJson;
  pointer: string;
  webhook?: SquareWebhook;
}

/** Why a document holds nothing poshub reads. */
export interface SquareUnsupported {
  code: string;
  message: string;
}

// Webhook type -> key of the object under data.object, and what it is.
const WEBHOOKS: Record<string, { key: string; kind: SquareResourceKind }> = {
  'order.created': { key: 'order_created', kind: 'order_notification' },
  'order.updated': { key: 'order_updated', kind: 'order_notification' },
  'order.fulfillment.updated': { key: 'order_fulfillment_updated', kind: 'order_notification' },
  'payment.created': { key: 'payment', kind: 'payment' },
  'payment.updated': { key: 'payment', kind: 'payment' },
  'refund.created': { key: 'refund', kind: 'payment_refund' },
  'refund.updated': { key: 'refund', kind: 'payment_refund' },
  'inventory.count.updated': { key: 'inventory_counts', kind: 'inventory_counts' },
  'loyalty.event.created': { key: 'loyalty_event', kind: 'loyalty_event' },
};

function listOf(kind: SquareResourceKind, value: VendorJson | undefined, pointer: string): SquareResource[] {
  return Array.isArray(value)
    ? value.map((item, i) => ({ kind, value: item, pointer: `${pointer}/${i}` }))
    : [];
}

function fromWebhook(doc: { [key: string]: VendorJson }): SquareResource[] | SquareUnsupported {
  const type = asText(doc.type) ?? '';
  const route = WEBHOOKS[type];
  if (!route) {
    return { code: 'square.unsupported', message: `Square webhook "${type}" is not one poshub reads` };
  }
  const data = isObject(doc.data) ? doc.data : {};
  const object = isObject(data.object) ? data.object : {};
  const webhook: SquareWebhook = {
    type,
    eventId: asText(doc.event_id),
    merchantId: asText(doc.merchant_id),
  };
  const pointer = `/data/object/${route.key}`;
  return [{ kind: route.kind, value: object[route.key] ?? null, pointer, webhook }];
}

/**
 * The objects of a Square document: API responses (`{"order": ...}`, `{"orders": [...]}`, `{"payment": ...}`,
 * `{"refund": ...}`, `{"counts": [...]}`, `{"events": [...]}` of loyalty), webhooks (`{"type", "data":
 * {"object": ...}}`), or a bare Order.
 */
export function squareResources(doc: VendorJson): SquareResource[] | SquareUnsupported {
  if (!isObject(doc)) return { code: 'square.unsupported', message: 'a Square document is a JSON object' };
  if (isObject(doc.data) && typeof doc.type === 'string') return fromWebhook(doc);
  if (Array.isArray(doc.errors) && doc.errors.length > 0) {
    const first = isObject(doc.errors[0]) ? doc.errors[0] : {};
    return {
      code: 'square.error_response',
      message: `this is a Square error response (${asText(first.code) ?? 'unknown error'}), not a document to ingest`,
    };
  }
  if ('order' in doc) return [{ kind: 'order', value: doc.order ?? null, pointer: '/order' }];
  if (Array.isArray(doc.orders)) return listOf('order', doc.orders, '/orders');
  if ('payment' in doc) return [{ kind: 'payment', value: doc.payment ?? null, pointer: '/payment' }];
  if (Array.isArray(doc.payments)) return listOf('payment', doc.payments, '/payments');
  if ('refund' in doc) return [{ kind: 'payment_refund', value: doc.refund ?? null, pointer: '/refund' }];
  if (Array.isArray(doc.refunds)) return listOf('payment_refund', doc.refunds, '/refunds');
  if (Array.isArray(doc.counts)) return [{ kind: 'inventory_counts', value: doc.counts, pointer: '/counts' }];
  if (Array.isArray(doc.events)) return listOf('loyalty_event', doc.events, '/events');
  if ('event' in doc && isObject(doc.event))
    return [{ kind: 'loyalty_event', value: doc.event, pointer: '/event' }];
  if ('line_items' in doc || ('location_id' in doc && 'state' in doc))
    return [{ kind: 'order', value: doc, pointer: '' }];
  return {
    code: 'square.unsupported',
    message: 'not a Square order, payment, refund, inventory count or loyalty event',
  };
}
