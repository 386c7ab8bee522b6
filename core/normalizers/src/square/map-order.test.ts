import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CanonicalEvent, OmnichannelOrder, RetailTransaction } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize-document.ts';

const fixture = (name: string) =>
  readFile(join(import.meta.dirname, '..', '..', 'fixtures', 'square', name), 'utf8');
const json = async (name: string) => JSON.parse(await fixture(name));
const tx = (event: CanonicalEvent | undefined) => event?.data as RetailTransaction;
const usd = (minor: number) => ({ minor, currency: 'USD', exponent: 2 });

/** The published CreateOrderResponse, paid by card and completed. */
async function completedSample() {
  const doc = await json('CreateOrderResponse.example.json');
  doc.order.state = 'COMPLETED';
  doc.order.closed_at = '2020-01-17T20:49:10.000Z';
  doc.order.tenders = [
    {
      id: 'tender-1',
      amount_money: { amount: 6176, currency: 'USD' },
      type: 'CARD',
      card_details: { status: 'CAPTURED', card: { card_brand: 'VISA', last_4: '1111' }, entry_method: 'EMV' },
      payment_id: 'tender-1',
    },
  ];
  return doc;
}

describe('Square order, published CreateOrderResponse (OPEN)', () => {
  it('is an order event, not a sale: nothing is paid yet', async () => {
    const result = await normalizeText(await fixture('CreateOrderResponse.example.json'), {
      timeZone: 'America/New_York',
    });
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.events.map((e) => e.type)).toEqual(['order.created.v1']);
    const order = result.events[0]?.data as OmnichannelOrder;
    expect(order).toMatchObject({
      orderId: 'CAISENgvlJ6jLWAzERDzjyHVybY',
      status: 'open',
      complete: true,
      storeId: '057P5VYJ4A5X1',
    });
    expect(order.total).toEqual(usd(6176));
    // Each line's amount is Square's own line total_money.
    expect(order.lines.map((l) => [l.lineId, l.quantity, l.amount?.minor])).toEqual([
      ['8uSwfzvUImn3IRrvciqlXC', '1', 1648],
      ['v8ZuEXpOJpb0bazLuvrLDB', '2', 4528],
    ]);
  });
});

describe('Square order, the same sample completed', () => {
  it('is a sale whose total is total_money', async () => {
    const result = await normalizeText(JSON.stringify(await completedSample()));
    expect(result.problems).toEqual([]);
    expect(result.events.map((e) => e.type)).toEqual(['sale.completed.v1']);
    const t = tx(result.events[0]);
    expect(t.total).toEqual(usd(6176));
    expect(t.stated).toEqual({ grand: usd(6176), tax: usd(510), discount: usd(-433) });
    expect(t.tenders).toMatchObject([
      { type: 'card', amount: usd(6176), card: { brand: 'VISA', last4: '1111', entryMethod: 'EMV' } },
    ]);
  });

  it('prices a line with its modifiers: 2 x (22.00 + 0.50) = 45.00', async () => {
    const t = tx((await normalizeText(JSON.stringify(await completedSample()))).events[0]);
    const steak = t.lines[1];
    expect(steak).toMatchObject({
      quantity: '2',
      unitPrice: { amount: '22.50', currency: 'USD' },
      extendedAmount: usd(4500),
    });
    expect(steak?.extensions).toEqual({ square: { modifiers: [{ name: 'Well', amount: '1.00' }] } });
  });

  it('applies order- and line-scoped discounts as Square apportioned them, taxes added on top', async () => {
    const t = tx((await normalizeText(JSON.stringify(await completedSample()))).events[0]);
    expect(t.lines[1]?.discounts).toEqual([
      {
        kind: 'percent',
        percentage: '0.5',
        promotionId: 'DB7L55ZH2BGWI4H23ULIWOQ7',
        description: 'Membership Discount',
        amount: usd(-22),
      },
      { kind: 'percent', percentage: '5', description: 'Labor Day Sale', amount: usd(-224) },
      { kind: 'amount', description: 'Sale - $1.00 off', amount: usd(-100) },
    ]);
    expect(t.lines.map((l) => l.taxes)).toEqual([
      [{ name: 'State Sales Tax', rate: '9', rateDerived: false, amount: usd(136), included: false }],
      [{ name: 'State Sales Tax', rate: '9', rateDerived: false, amount: usd(374), included: false }],
    ]);
    // Order-level discounts and taxes are all on the lines already: not counted twice.
    expect(t.discounts).toEqual([]);
    expect(t.taxes).toEqual([]);
  });

  it('derives the key: location, source name, order id, business day in the store zone', async () => {
    const doc = await completedSample();
    doc.order.created_at = '2020-01-18T02:30:00Z';
    const result = await normalizeText(JSON.stringify(doc), { timeZone: 'America/Chicago' });
    expect(tx(result.events[0]).key).toEqual({
      storeId: '057P5VYJ4A5X1',
      workstationId: 'My App',
      businessDay: '2020-01-17',
      sequence: 'CAISENgvlJ6jLWAzERDzjyHVybY',
      businessDaySource: 'derived',
    });
    const utc = await normalizeText(JSON.stringify(doc));
    expect(tx(utc.events[0]).key.businessDay).toBe('2020-01-18');
    expect(utc.warnings.map((w) => w.code)).toContain('square.time_zone_missing');
  });

  it('is a void when CANCELED: no tenders', async () => {
    const doc = await completedSample();
    doc.order.state = 'CANCELED';
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.problems).toEqual([]);
    expect(result.events[0]?.type).toBe('transaction.voided.v1');
    expect(tx(result.events[0]).tenders).toEqual([]);
  });

  it('keeps a later version as the same transaction with its version', async () => {
    const doc = await completedSample();
    const first = await normalizeText(JSON.stringify(doc));
    doc.order.version = 2;
    const second = await normalizeText(JSON.stringify(doc));
    expect(second.events[0]?.id).toBe(first.events[0]?.id);
    expect(tx(second.events[0]).source.version).toBe('2');
  });
});

describe('Square exchange (written from the Order reference)', () => {
  it('is an exchange whose total is net_amounts.total_money: sale less return', async () => {
    const result = await normalizeText(await fixture('order-exchange.json'), {
      timeZone: 'America/New_York',
    });
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.events.map((e) => e.type)).toEqual(['exchange.completed.v1']);
    const t = tx(result.events[0]);
    expect(t.total).toEqual(usd(1633));
    expect(t.stated.tax).toEqual(usd(133));
    expect(t.tenders).toMatchObject([
      { type: 'card', amount: usd(1633), card: { brand: 'MASTERCARD', last4: '5454' } },
    ]);
  });

  it('links the returned line to its sale order and sold line', async () => {
    const t = tx((await normalizeText(await fixture('order-exchange.json'))).events[0]);
    const sourceOrder = [{ scheme: 'square.order', value: 'Vd3ZqLpM7YtN2wK8xR5sC1hJ9fBZY' }];
    expect(t.links).toEqual([{ kind: 'exchange', ids: sourceOrder }]);
    expect(
      t.lines.map((l) => [
        l.lineNumber,
        l.direction,
        l.quantity,
        l.extendedAmount.minor,
        l.taxes[0]?.amount.minor,
      ]),
    ).toEqual([
      ['hoodie-line-1', 'sale', '1', 4500, 399],
      ['return-line-1', 'return', '-1', -3000, -266],
    ]);
    expect(t.lines[1]?.originalLine).toEqual({
      kind: 'exchange',
      ids: sourceOrder,
      lineNumber: 'tee-line-1',
    });
  });

  it('is a return when the order only returns, refunded through refunds[]', async () => {
    const doc = await json('order-exchange.json');
    const order = doc.order;
    order.line_items = [];
    order.taxes = [];
    order.total_money = { amount: 0, currency: 'USD' };
    order.net_amounts.total_money.amount = -3266;
    order.net_amounts.tax_money.amount = -266;
    order.tenders = [];
    order.refunds = [
      {
        id: 'refund-1',
        tender_id: 'orig-tender',
        amount_money: { amount: 3266, currency: 'USD' },
        status: 'APPROVED',
      },
      {
        id: 'refund-2',
        tender_id: 'orig-tender',
        amount_money: { amount: 3266, currency: 'USD' },
        status: 'REJECTED',
      },
    ];
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.problems).toEqual([]);
    expect(result.events[0]?.type).toBe('return.completed.v1');
    const t = tx(result.events[0]);
    expect(t.total).toEqual(usd(-3266));
    expect(t.links[0]?.kind).toBe('return');
    expect(t.tenders).toMatchObject([{ purpose: 'refund', amount: usd(-3266), status: 'approved' }]);
  });
});

describe('Square inclusive tax and cash rounding (written from the Order reference)', () => {
  it('reads GST inside the prices and rounds the cash total down by one cent', async () => {
    const result = await normalizeText(await fixture('order-inclusive-tax-cash-rounding.json'), {
      timeZone: 'Australia/Sydney',
    });
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    const t = tx(result.events[0]);
    expect(t.total).toEqual({ minor: 1700, currency: 'AUD', exponent: 2 });
    expect(t.cashRounding).toEqual({ minor: -1, currency: 'AUD', exponent: 2 });
    expect(
      t.lines.map((l) => [
        l.extendedAmount.minor,
        l.discounts.map((d) => d.amount.minor),
        l.taxes.map((x) => [x.amount.minor, x.included]),
      ]),
    ).toEqual([
      [1100, [], [[100, true]]],
      [668, [-67], [[55, true]]],
    ]);
    expect(t.tenders).toMatchObject([{ type: 'cash', amount: { minor: 2000 }, change: { minor: 300 } }]);
    // 23:40 UTC on 2 July is the morning of 3 July in Sydney.
    expect(t.key.businessDay).toBe('2024-07-03');
  });

  it('takes the rounding direction from the totals, whichever sign Square wrote', async () => {
    const doc = await json('order-inclusive-tax-cash-rounding.json');
    doc.order.rounding_adjustment.amount_money.amount = -1;
    const t = tx((await normalizeText(JSON.stringify(doc))).events[0]);
    expect(t.cashRounding?.minor).toBe(-1);
  });

  it('still balances when total_money leaves the rounding out, and says so', async () => {
    const doc = await json('order-inclusive-tax-cash-rounding.json');
    doc.order.net_amounts.total_money.amount = 1701;
    doc.order.total_money.amount = 1701;
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.problems).toEqual([]);
    expect(tx(result.events[0]).total.minor).toBe(1700);
    expect(result.warnings.map((w) => w.code)).toContain('square.rounding_outside_total');
  });

  it('reads an UNKNOWN_TAX the way the line totals add up', async () => {
    const doc = await json('order-inclusive-tax-cash-rounding.json');
    doc.order.taxes[0].type = 'UNKNOWN_TAX';
    const result = await normalizeText(JSON.stringify(doc), { timeZone: 'Australia/Sydney' });
    expect(result.problems).toEqual([]);
    expect(tx(result.events[0]).lines.flatMap((l) => l.taxes.map((x) => x.included))).toEqual([true, true]);
    expect(result.warnings.map((w) => w.code)).toEqual([
      'square.tax_type_unknown',
      'square.tax_type_unknown',
    ]);
  });

  it('prices JPY lines as rung up: gross sales there leave the inclusive tax out', async () => {
    const doc = await json('order-inclusive-tax-jpy.json');
    const result = await normalizeText(JSON.stringify(doc), { timeZone: 'Asia/Tokyo' });
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    const t = tx(result.events[0]);
    expect(t.total).toEqual({ minor: 1316, currency: 'JPY', exponent: 0 });
    expect(t.lines.map((l) => [l.extendedAmount.minor, l.unitPrice?.amount, l.taxes[0]?.rate])).toEqual([
      [1100, '550', '10'],
      [216, '216', '8'],
    ]);
    // Summing gross_sales_money instead would miss the 116 of tax inside the prices.
    const gross = doc.order.line_items.reduce(
      (s: number, l: { gross_sales_money: { amount: number } }) => s + l.gross_sales_money.amount,
      0,
    );
    expect(gross).toBe(1200);
  });
});

describe('Square order, bad input', () => {
  it('refuses an amount that is not whole minor units', async () => {
    const doc = await completedSample();
    doc.order.line_items[0].base_price_money.amount = '12,34';
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.events).toEqual([]);
    expect(result.problems).toMatchObject([
      { code: 'money.not_a_number', pointer: '/order/line_items/0/base_price_money/amount' },
    ]);
  });

  it('refuses an unknown currency, and money in a second currency', async () => {
    const doc = await completedSample();
    doc.order.total_money.currency = 'ABC';
    expect((await normalizeText(JSON.stringify(doc))).problems).toMatchObject([
      { code: 'currency.unknown', pointer: '/order/total_money/currency' },
    ]);
    const mixed = await completedSample();
    mixed.order.line_items[1].total_tax_money.currency = 'EUR';
    mixed.order.line_items[1].applied_taxes[0].applied_money.currency = 'EUR';
    expect((await normalizeText(JSON.stringify(mixed))).problems).toMatchObject([
      { code: 'currency.mismatch', pointer: '/order/line_items/1/applied_taxes/0/applied_money/currency' },
    ]);
  });

  it('refuses an order without id or location, and a malformed date', async () => {
    const doc = await completedSample();
    delete doc.order.id;
    delete doc.order.location_id;
    doc.order.created_at = '2020-01-17T25:47:53.293Z';
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.problems.map((p) => [p.code, p.pointer])).toEqual([
      ['field.missing', '/order/id'],
      ['field.missing', '/order/location_id'],
      ['time.invalid', '/order/created_at'],
    ]);
  });

  it('refuses a full card number in a line note, without echoing it', async () => {
    const doc = await completedSample();
    doc.order.line_items[0].note = 'paid with 4111-1111-1111-1111';
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.events).toEqual([]);
    expect(result.problems).toMatchObject([
      { code: 'card.full_number', pointer: '/order/line_items/0/note' },
    ]);
    expect(JSON.stringify(result.problems)).not.toContain('4111-1111');
  });

  it('lets the business rules refuse tenders that do not cover the total', async () => {
    const doc = await completedSample();
    doc.order.tenders[0].amount_money.amount = 6000;
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.problems).toMatchObject([{ code: 'tenders.unbalanced', pointer: '/data/tenders' }]);
  });
});
