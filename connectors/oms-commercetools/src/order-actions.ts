import type { CanonicalEvent } from '@poshub/sdk';

/** The part of a commercetools Order the connector reads (GET /{projectKey}/orders/order-number=...). */
export interface CtOrder {
  id: string;
  version: number;
  orderNumber?: string;
  orderState?: string;
  shipmentState?: string;
  lineItems: Array<{ id: string; quantity: number; variant?: { sku?: string } }>;
  returnInfo?: Array<{ returnTrackingId?: string }>;
}

/** An update action of the commercetools Order API. */
export type OrderAction = Record<string, unknown> & { action: string };

interface OrderEvent {
  orderId: string;
  fulfilment: string;
  status: string;
  storeId?: string;
  lines: Array<{ lineId: string; item: { sku?: string }; quantity: string }>;
  occurredAt: { utc?: string };
}

/** Why the POS event cannot be applied to this order: permanent. */
export interface OrderProblem {
  type: string;
  message: string;
}

/**
 * Pure: the update actions that bring the online order to what the store reported, given the order as it
 * is now, so that applying them twice is the same as once (a state already reached needs no action; a
 * return already recorded under its tracking id is not added again). Picked up (click and collect):
 * shipment Delivered (and order Complete); shipped from store: shipment Shipped; returned in store: a
 * return info with the returned lines, found by SKU or line id.
 */
export function orderActionsFor(
  event: CanonicalEvent,
  order: CtOrder,
  options: { completeOnPickup: boolean },
): { ok: true; actions: OrderAction[] } | { ok: false; problem: OrderProblem } {
  const e = event.data as unknown as OrderEvent;
  const actions: OrderAction[] = [];
  const status = e.status.toLowerCase();
  if (e.fulfilment === 'click_and_collect' && status === 'picked_up') {
    if (order.shipmentState !== 'Delivered')
      actions.push({ action: 'changeShipmentState', shipmentState: 'Delivered' });
    if (options.completeOnPickup && order.orderState !== 'Complete')
      actions.push({ action: 'changeOrderState', orderState: 'Complete' });
  } else if (e.fulfilment === 'ship_from_store' && status === 'shipped') {
    if (order.shipmentState !== 'Shipped' && order.shipmentState !== 'Delivered') {
      actions.push({ action: 'changeShipmentState', shipmentState: 'Shipped' });
    }
  } else if (e.fulfilment === 'return_in_store' && status === 'returned') {
    const trackingId = `poshub-${event.id}`.slice(0, 100);
    if (order.returnInfo?.some((r) => r.returnTrackingId === trackingId)) return { ok: true, actions: [] };
    const items = [];
    for (const line of e.lines) {
      const match =
        order.lineItems.find((l) => l.id === line.lineId) ??
        order.lineItems.find((l) => line.item.sku && l.variant?.sku === line.item.sku);
      if (!match) {
        return {
          ok: false,
          problem: {
            type: 'unknown_order_line',
            message: `order ${e.orderId} has no line ${line.lineId} / SKU ${line.item.sku ?? '-'}`,
          },
        };
      }
      items.push({
        quantity: Math.abs(Number(line.quantity)),
        lineItemId: match.id,
        shipmentState: 'Returned',
        comment: `Returned in store ${e.storeId ?? ''}`.trim(),
      });
    }
    actions.push({
      action: 'addReturnInfo',
      returnTrackingId: trackingId,
      returnDate: e.occurredAt.utc,
      items,
    });
  }
  return { ok: true, actions };
}
