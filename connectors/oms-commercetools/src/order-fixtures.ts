import { CanonicalEvent } from '@poshub/model';
import type { CtOrder } from './order-actions.ts';

const at = (utc: string) => ({ raw: utc, utc, source: 'explicit' });
const event = (id: string, data: Record<string, unknown>) =>
  CanonicalEvent.parse({
    specversion: '1.0',
    id,
    source: '/pos/stores/0042',
    subject: '0042',
    type: 'order.updated.v1',
    time: '2026-03-15T10:00:00Z',
    data: { source: { system: 'example-pos', format: 'canonical' }, storeId: '0042', ...data },
  }) as CanonicalEvent;

/**
 * What stores report about online orders, written from the canonical model (no vendor sample covers a
 * store's side of an online order): a click-and-collect order picked up, an order shipped from the store,
 * and a return in store of one line of an online order.
 */
export function orderFixtures(): CanonicalEvent[] {
  return [
    event('c0nf0000-0000-4000-8000-0000000000d1', {
      orderId: 'WEB-10077',
      fulfilment: 'click_and_collect',
      status: 'picked_up',
      occurredAt: at('2026-03-15T10:00:00.000Z'),
    }),
    event('c0nf0000-0000-4000-8000-0000000000d2', {
      orderId: 'WEB-10078',
      fulfilment: 'ship_from_store',
      status: 'shipped',
      occurredAt: at('2026-03-15T11:00:00.000Z'),
    }),
    event('c0nf0000-0000-4000-8000-0000000000d3', {
      orderId: 'WEB-10079',
      fulfilment: 'return_in_store',
      status: 'returned',
      lines: [{ lineId: '2', item: { sku: 'TSHIRT-M-BLU' }, quantity: '1' }],
      occurredAt: at('2026-03-15T12:00:00.000Z'),
    }),
  ];
}

/**
 * An order as commercetools' Order API returns it, reduced to the fields the connector reads (shape per
 * the commercetools HTTP API reference, Order: id, version, orderNumber, orderState, shipmentState,
 * lineItems[].variant.sku, returnInfo).
 */
export function ctOrder(orderNumber: string, over: Partial<CtOrder> = {}): CtOrder {
  return {
    id: `6b4c1f3e-0000-4000-8000-${orderNumber.replace(/\D/g, '').padStart(12, '0')}`,
    version: 7,
    orderNumber,
    orderState: 'Open',
    shipmentState: 'Ready',
    lineItems: [
      { id: 'li-1', quantity: 1, variant: { sku: 'MUG-01' } },
      { id: 'li-2', quantity: 2, variant: { sku: 'TSHIRT-M-BLU' } },
    ],
    returnInfo: [],
    ...over,
  };
}
