import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CanonicalEvent, RetailTransaction } from '@poshub/model';
import { isDispatchable } from '@poshub/rules';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize-document.ts';

const fixture = (name: string) =>
  readFile(join(import.meta.dirname, '..', '..', 'fixtures', 'shopify', name), 'utf8');
const json = async (name: string) => JSON.parse(await fixture(name));
const tx = (event: CanonicalEvent | undefined) => event?.data as RetailTransaction;

describe('Shopify order, published sample (web, authorised)', () => {
  it('is a sale whose total is the order total_price', async () => {
    const result = await normalizeText(await fixture('rest-order.json'));
    expect(result.problems).toEqual([]);
    expect(result.format).toBe('shopify');
    expect(result.events.map((e) => e.type)).toEqual(['sale.completed.v1']);
    const t = tx(result.events[0]);
    expect(t.total).toEqual({ minor: 40994, currency: 'USD', exponent: 2 });
    expect(t.stated.grand?.minor).toBe(40994);
    expect(t.channel).toBe('web');
    expect(t.receiptNumber).toBe('#1001');
  });

  it('keys an online order to the online store, workstation "web", sequence = order number, derived day', async () => {
    const t = tx((await normalizeText(await fixture('rest-order.json'))).events[0]);
    expect(t.key).toEqual({
      storeId: 'online',
      workstationId: 'web',
      businessDay: '2008-01-10',
      sequence: '1001',
      businessDaySource: 'derived',
    });
    // 11:00 at -05:00 is already the next day in Tokyo.
    const tokyo = tx(
      (await normalizeText(await fixture('rest-order.json'), { timeZone: 'Asia/Tokyo', storeId: 'WEB-1' }))
        .events[0],
    );
    expect(tokyo.key.businessDay).toBe('2008-01-11');
    expect(tokyo.key.storeId).toBe('WEB-1');
  });

  it('follows total_discounts (0.00) over the TENOFF 10.00 code, and warns', async () => {
    const result = await normalizeText(await fixture('rest-order.json'));
    const t = tx(result.events[0]);
    expect(t.discounts).toEqual([]);
    expect(t.lines.flatMap((l) => l.discounts)).toEqual([]);
    const warning = result.warnings.find((w) => w.code === 'shopify.discounts_inconsistent');
    expect(warning).toMatchObject({ pointer: '/order/discount_codes' });
    expect(warning?.message).toContain('10.00 USD');
  });

  it('keeps lines as sent and the 199.00 gap to total_line_items_price as an explicit adjustment', async () => {
    const result = await normalizeText(await fixture('rest-order.json'));
    const t = tx(result.events[0]);
    expect(t.lines.map((l) => [l.lineNumber, l.extendedAmount.minor])).toEqual([
      ['466157049', 19900],
      ['518995019', 19900],
      ['703073504', 19900],
    ]);
    expect(t.fees).toContainEqual({
      kind: 'source_adjustment',
      amount: { minor: -19900, currency: 'USD', exponent: 2 },
      taxes: [],
    });
    expect(t.taxes).toEqual([
      {
        name: 'State Tax',
        rate: '6',
        rateDerived: false,
        amount: { minor: 1194, currency: 'USD', exponent: 2 },
        included: false,
      },
    ]);
    expect(result.warnings.map((w) => w.code)).toContain('shopify.lines_inconsistent');
  });

  it('derives one pending card tender from the gateway when the order is only authorised', async () => {
    const result = await normalizeText(await fixture('rest-order.json'));
    expect(tx(result.events[0]).tenders).toEqual([
      {
        type: 'card',
        amount: { minor: 40994, currency: 'USD', exponent: 2 },
        purpose: 'payment',
        status: 'pending',
        card: { brand: 'Visa', last4: '4242' },
        sourceType: 'authorize_net',
        ids: [],
      },
    ]);
    const paid = await json('rest-order.json');
    paid.order.financial_status = 'paid';
    expect(tx((await normalizeText(JSON.stringify(paid))).events[0]).tenders[0]?.status).toBe('approved');
  });

  it('reads the same order wrapped, bare (a webhook body) and in a list, with one event id', async () => {
    const doc = await json('rest-order.json');
    const wrapped = await normalizeText(JSON.stringify(doc));
    const bare = await normalizeText(JSON.stringify(doc.order));
    const list = await normalizeText(
      JSON.stringify({ orders: [doc.order, { ...doc.order, id: 1, order_number: 1002 }] }),
    );
    expect(bare.format).toBe('shopify');
    expect(bare.events[0]?.id).toBe(wrapped.events[0]?.id);
    expect(list.events).toHaveLength(2);
    expect(list.events[0]?.id).toBe(wrapped.events[0]?.id);
    expect(list.events[1]?.id).not.toBe(wrapped.events[0]?.id);
  });
});

describe('Shopify POS order (written from the REST reference)', () => {
  it('is a till sale keyed by location, device and order number, total = total_price', async () => {
    const result = await normalizeText(await fixture('pos-order-split-tender.json'), {
      timeZone: 'America/New_York',
    });
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    const t = tx(result.events[0]);
    expect(result.events[0]?.type).toBe('sale.completed.v1');
    expect(t.total).toEqual({ minor: 6260, currency: 'USD', exponent: 2 });
    expect(t.channel).toBe('store');
    expect(t.key).toMatchObject({
      storeId: '48752311',
      workstationId: '3',
      businessDay: '2024-03-08',
      sequence: '1042',
    });
    expect(t.operator).toEqual({ id: '73419' });
    expect(t.customer?.customerId).toBe('6301877011');
    expect(result.events[0]?.subject).toBe('48752311');
  });

  it('maps line discounts from allocations and per-line taxes', async () => {
    const t = tx((await normalizeText(await fixture('pos-order-split-tender.json'))).events[0]);
    const [tee, mug] = t.lines;
    expect(tee).toMatchObject({ lineNumber: '31201445871', quantity: '2', unitPrice: { amount: '25.00' } });
    expect(tee?.extendedAmount.minor).toBe(5000);
    expect(tee?.discounts).toEqual([
      {
        kind: 'percent',
        percentage: '10.0',
        description: 'Staff discount',
        amount: { minor: -500, currency: 'USD', exponent: 2 },
      },
    ]);
    expect(tee?.taxes).toMatchObject([
      { name: 'NY State Tax', rate: '8.875', amount: { minor: 399 }, included: false },
    ]);
    expect(mug?.taxes[0]?.amount.minor).toBe(111);
    // The order-level tax_lines only summarise the line taxes: not counted twice.
    expect(t.taxes).toEqual([]);
  });

  it('splits card and cash, with the change transaction on the cash leg', async () => {
    const t = tx((await normalizeText(await fixture('pos-order-split-tender.json'))).events[0]);
    expect(t.tenders).toMatchObject([
      {
        type: 'card',
        amount: { minor: 4000 },
        status: 'approved',
        card: { brand: 'Visa', last4: '4242', authorizationCode: 'A7Q3K1' },
      },
      { type: 'cash', amount: { minor: 2500 }, change: { minor: 240 }, status: 'approved' },
    ]);
  });

  it('is a post-void when cancelled after payment, and a void when nothing was taken', async () => {
    const doc = await json('pos-order-split-tender.json');
    doc.order.cancelled_at = '2024-03-08T18:55:00-05:00';
    doc.order.cancel_reason = 'customer';
    doc.order.financial_status = 'refunded';
    const postVoid = await normalizeText(JSON.stringify(doc));
    expect(postVoid.problems).toEqual([]);
    expect(postVoid.events[0]?.type).toBe('transaction.post_voided.v1');
    expect(tx(postVoid.events[0]).tenders).toHaveLength(2);

    const web = await json('rest-order.json');
    web.order.cancelled_at = '2008-01-10T12:00:00-05:00';
    web.order.financial_status = 'voided';
    const voided = await normalizeText(JSON.stringify(web));
    expect(voided.problems).toEqual([]);
    expect(voided.events[0]?.type).toBe('transaction.voided.v1');
    expect(tx(voided.events[0]).tenders).toEqual([]);
  });

  it('flags test orders as training mode, never dispatched', async () => {
    const doc = await json('pos-order-split-tender.json');
    doc.order.test = true;
    const event = (await normalizeText(JSON.stringify(doc))).events[0];
    expect(tx(event).trainingMode).toBe(true);
    expect(event && isDispatchable(event)).toBe(false);
  });

  it('leaves out failed attempts and keeps an uncaptured authorisation as pending', async () => {
    const doc = await json('pos-order-split-tender.json');
    const [card] = doc.order.transactions;
    doc.order.transactions.unshift({ ...card, id: 6603918100, status: 'failure' });
    card.kind = 'authorization';
    const t = tx((await normalizeText(JSON.stringify(doc))).events[0]);
    expect(t.tenders.map((x) => [x.type, x.status])).toEqual([
      ['card', 'pending'],
      ['cash', 'approved'],
    ]);
    doc.order.transactions.push({ ...card, id: 6603918500, kind: 'capture', parent_id: card.id });
    const captured = tx((await normalizeText(JSON.stringify(doc))).events[0]);
    expect(captured.tenders.map((x) => [x.type, x.status])).toEqual([
      ['cash', 'approved'],
      ['card', 'approved'],
    ]);
  });
});

describe('Shopify order, bad input', () => {
  it('refuses money written with a decimal comma, pointing at it', async () => {
    const doc = await json('rest-order.json');
    doc.order.line_items[1].price = '12,34';
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.events).toEqual([]);
    expect(result.problems).toMatchObject([
      { code: 'money.not_a_number', pointer: '/order/line_items/1/price' },
    ]);
  });

  it('refuses an unknown currency', async () => {
    const doc = await json('rest-order.json');
    doc.order.currency = 'ABC';
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.problems).toMatchObject([{ code: 'currency.unknown', pointer: '/order/currency' }]);
  });

  it('refuses an order without id, and reports a malformed date beside it', async () => {
    const doc = await json('rest-order.json');
    delete doc.order.id;
    doc.order.created_at = '2008-01-10T25:00:00-05:00';
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.problems.map((p) => [p.code, p.pointer])).toEqual([
      ['field.missing', '/order/id'],
      ['time.invalid', '/order/created_at'],
    ]);
  });

  it('refuses a full card number written in the note, without echoing it', async () => {
    const doc = await json('pos-order-split-tender.json');
    doc.order.note = 'customer card 5555 5555 5555 4444 for the deposit';
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.events).toEqual([]);
    expect(result.problems).toMatchObject([{ code: 'card.full_number', pointer: '/order/note' }]);
    expect(JSON.stringify(result.problems)).not.toMatch(/5555 ?5555 ?5555/);
  });

  it('refuses a transaction in another currency with no shop-currency amount', async () => {
    const doc = await json('pos-order-split-tender.json');
    doc.order.transactions[0].currency = 'CAD';
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.problems).toMatchObject([
      { code: 'currency.mismatch', pointer: '/order/transactions/0/currency' },
    ]);
    doc.order.transactions[0].amount_set = { shop_money: { amount: '40.00', currency_code: 'USD' } };
    expect((await normalizeText(JSON.stringify(doc))).problems).toEqual([]);
  });

  it('lets the business rules refuse an order whose money does not add up', async () => {
    const doc = await json('pos-order-split-tender.json');
    doc.order.total_price = '62.70';
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.problems.map((p) => p.code)).toContain('totals.unbalanced');
  });
});
