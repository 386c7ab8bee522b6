import { CanonicalEvent } from '@poshub/model';

const usd = (minor: number) => ({ minor, currency: 'USD', exponent: 2 });
const at = (local: string, offset: string, utc: string) => ({
  raw: `${local}${offset}`,
  local,
  offset,
  utc,
  source: 'explicit',
});

const SALE_KEY = { storeId: '0042', workstationId: '03', businessDay: '2026-03-14', sequence: '2210' };
const CUSTOMER = { customerId: 'CUST-0042-7781', loyaltyAccountId: 'LOY-778812' };
const tax = (minor: number) => ({ code: 'CA', rate: '8.875', amount: usd(minor), included: false });

/**
 * The showcase flow of issue 7, as the tills send it (written from the canonical model; the items are the
 * demo's): at till 03 of store 0042 a known customer buys two items and collects an online order
 * (click and collect); the next day, at till 01 of store 0107, they return one of the two items, linked to
 * the sale. The reference connectors' HTTP pacts use these events as their examples, so the end-to-end
 * test (load-tests/showcase) can hold the connectors' traffic through a real hub to the same interactions.
 */
export function showcaseEvents(): { sale: CanonicalEvent; pickup: CanonicalEvent; ret: CanonicalEvent } {
  const sale = CanonicalEvent.parse({
    specversion: '1.0',
    id: '5f0c6c1e-8a51-4c1a-9d0e-5c0e00002210',
    source: '/pos/stores/0042',
    subject: '0042',
    type: 'sale.completed.v1',
    time: '2026-03-14T18:02:11Z',
    datacontenttype: 'application/json',
    data: {
      kind: 'sale',
      trainingMode: false,
      key: SALE_KEY,
      currency: 'USD',
      occurredAt: at('2026-03-14T11:02:11', '-07:00', '2026-03-14T18:02:11.000Z'),
      operator: { id: '94' },
      receiptNumber: '0042-03-2210',
      customer: CUSTOMER,
      lines: [
        {
          lineNumber: '1',
          direction: 'sale',
          item: { sku: 'TSHIRT-M-BLU', gtin: '00012345678905', description: 'T-shirt blue M' },
          quantity: '1',
          unitPrice: { amount: '12.50', currency: 'USD' },
          extendedAmount: usd(1250),
          taxes: [tax(111)],
        },
        {
          lineNumber: '2',
          direction: 'sale',
          item: { sku: 'JEANS-32-IND', description: 'Jeans indigo 32' },
          quantity: '1',
          unitPrice: { amount: '49.00', currency: 'USD' },
          extendedAmount: usd(4900),
          taxes: [tax(435)],
        },
      ],
      tenders: [
        { type: 'card', amount: usd(6696), card: { brand: 'VISA', last4: '1111', funding: 'credit' } },
      ],
      total: usd(6696),
      source: { system: 'example-pos', format: 'canonical' },
    },
  }) as CanonicalEvent;

  const pickup = CanonicalEvent.parse({
    specversion: '1.0',
    id: '5f0c6c1e-8a51-4c1a-9d0e-5c0e0000d177',
    source: '/pos/stores/0042',
    subject: '0042',
    type: 'order.updated.v1',
    time: '2026-03-14T18:03:40Z',
    data: {
      orderId: 'WEB-10077',
      fulfilment: 'click_and_collect',
      status: 'picked_up',
      storeId: '0042',
      occurredAt: at('2026-03-14T11:03:40', '-07:00', '2026-03-14T18:03:40.000Z'),
      source: { system: 'example-pos', format: 'canonical' },
    },
  }) as CanonicalEvent;

  const ret = CanonicalEvent.parse({
    specversion: '1.0',
    id: '5f0c6c1e-8a51-4c1a-9d0e-5c0e01070017',
    source: '/pos/stores/0107',
    subject: '0107',
    type: 'return.completed.v1',
    time: '2026-03-15T16:40:00Z',
    datacontenttype: 'application/json',
    data: {
      kind: 'return',
      trainingMode: false,
      key: { storeId: '0107', workstationId: '01', businessDay: '2026-03-15', sequence: '17' },
      currency: 'USD',
      occurredAt: at('2026-03-15T09:40:00', '-07:00', '2026-03-15T16:40:00.000Z'),
      operator: { id: '12' },
      receiptNumber: '0107-01-17',
      customer: CUSTOMER,
      lines: [
        {
          lineNumber: '1',
          direction: 'return',
          item: { sku: 'JEANS-32-IND', description: 'Jeans indigo 32' },
          quantity: '-1',
          unitPrice: { amount: '49.00', currency: 'USD' },
          extendedAmount: usd(-4900),
          taxes: [tax(-435)],
          originalLine: { kind: 'return', key: SALE_KEY, lineNumber: '2' },
          restock: true,
          returnReason: 'wrong size',
        },
      ],
      tenders: [{ type: 'card', amount: usd(-5335), purpose: 'refund' }],
      total: usd(-5335),
      links: [{ kind: 'return', key: SALE_KEY }],
      source: { system: 'example-pos', format: 'canonical' },
    },
  }) as CanonicalEvent;

  return { sale, pickup, ret };
}
