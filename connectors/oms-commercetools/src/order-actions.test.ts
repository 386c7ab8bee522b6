import { describe, expect, it } from 'vitest';
import { orderActionsFor } from './order-actions.ts';
import { ctOrder, orderFixtures } from './order-fixtures.ts';

const [pickup, shipped, returned] = orderFixtures();
const opts = { completeOnPickup: true };

describe('orderActionsFor', () => {
  it('hands a click-and-collect order over: shipment Delivered, order Complete', () => {
    expect(orderActionsFor(pickup!, ctOrder('WEB-10077'), opts)).toEqual({
      ok: true,
      actions: [
        { action: 'changeShipmentState', shipmentState: 'Delivered' },
        { action: 'changeOrderState', orderState: 'Complete' },
      ],
    });
  });

  it('needs nothing when the order is already where the store says (a redelivery)', () => {
    const done = ctOrder('WEB-10077', { shipmentState: 'Delivered', orderState: 'Complete' });
    expect(orderActionsFor(pickup!, done, opts)).toEqual({ ok: true, actions: [] });
    expect(orderActionsFor(shipped!, ctOrder('WEB-10078', { shipmentState: 'Shipped' }), opts)).toEqual({
      ok: true,
      actions: [],
    });
  });

  it('records a return in store once, finding the line by SKU', () => {
    const planned = orderActionsFor(returned!, ctOrder('WEB-10079'), opts);
    expect(planned).toEqual({
      ok: true,
      actions: [
        {
          action: 'addReturnInfo',
          returnTrackingId: `poshub-${returned!.id}`,
          returnDate: '2026-03-15T12:00:00.000Z',
          items: [
            { quantity: 1, lineItemId: 'li-2', shipmentState: 'Returned', comment: 'Returned in store 0042' },
          ],
        },
      ],
    });
    const recorded = ctOrder('WEB-10079', { returnInfo: [{ returnTrackingId: `poshub-${returned!.id}` }] });
    expect(orderActionsFor(returned!, recorded, opts)).toEqual({ ok: true, actions: [] });
  });

  it('refuses a return of a line the order does not have', () => {
    const other = ctOrder('WEB-10079', {
      lineItems: [{ id: 'li-9', quantity: 1, variant: { sku: 'SOCKS' } }],
    });
    expect(orderActionsFor(returned!, other, opts)).toMatchObject({
      ok: false,
      problem: { type: 'unknown_order_line' },
    });
  });
});
