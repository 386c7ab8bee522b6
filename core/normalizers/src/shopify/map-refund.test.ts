import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CanonicalEvent, RetailTransaction } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize-document.ts';

const fixture = (name: string) =>
  readFile(join(import.meta.dirname, '..', '..', 'fixtures', 'shopify', name), 'utf8');
const json = async (name: string) => JSON.parse(await fixture(name));
const tx = (event: CanonicalEvent | undefined) => event?.data as RetailTransaction;

describe('Shopify refund, published sample', () => {
  it('is a return whose total is minus the refund transaction amount', async () => {
    const result = await normalizeText(await fixture('rest-refund.json'));
    expect(result.problems).toEqual([]);
    expect(result.events.map((e) => e.type)).toEqual(['return.completed.v1']);
    const t = tx(result.events[0]);
    expect(t.total).toEqual({ minor: -20900, currency: 'USD', exponent: 2 });
    expect(t.tenders).toMatchObject([
      { type: 'card', purpose: 'refund', status: 'approved', amount: { minor: -20900 }, sourceType: 'bogus' },
    ]);
    expect(t.tenders[0]?.ids).toEqual([{ scheme: 'shopify.transaction', value: '179259969' }]);
  });

  it('returns the lines of the order, linked to the order and to each sold line, restocked', async () => {
    const t = tx((await normalizeText(await fixture('rest-refund.json'))).events[0]);
    expect(t.links).toEqual([{ kind: 'return', ids: [{ scheme: 'shopify.order', value: '450789469' }] }]);
    expect(
      t.lines.map((l) => [
        l.lineNumber,
        l.direction,
        l.quantity,
        l.extendedAmount.minor,
        l.originalLine?.lineNumber,
        l.restock,
      ]),
    ).toEqual([
      ['104689539', 'return', '-1', -19900, '703073504', true],
      ['709875399', 'return', '-1', -19900, '466157049', true],
    ]);
    expect(t.lines[0]?.taxes).toMatchObject([
      { name: 'State Tax', rate: '6', amount: { minor: -398 }, included: false },
    ]);
    expect(t.lines[0]?.returnReason).toBe('it broke during shipping');
  });

  it('keeps the 196.96 the refund did not pay back as an explicit refund discrepancy, with a warning', async () => {
    const result = await normalizeText(await fixture('rest-refund.json'));
    const t = tx(result.events[0]);
    expect(t.fees).toEqual([
      { kind: 'refund_discrepancy', amount: { minor: 19696, currency: 'USD', exponent: 2 }, taxes: [] },
    ]);
    expect(result.warnings).toMatchObject([
      { code: 'shopify.refund_discrepancy', pointer: '/refund/transactions' },
    ]);
    expect(result.warnings[0]?.message).toContain('209.00 USD');
  });

  it('keeps the raw timestamps of the refund and of its transaction (which predates it)', async () => {
    const t = tx((await normalizeText(await fixture('rest-refund.json'))).events[0]);
    expect(t.source.timestamps).toEqual({
      created_at: '2016-06-20T13:35:06-04:00',
      'transactions/0/created_at': '2005-08-05T12:59:12-04:00',
    });
    expect(t.key).toMatchObject({
      storeId: 'online',
      workstationId: 'web',
      businessDay: '2016-06-20',
      sequence: '509562969',
    });
  });
});

describe('Shopify refund, variants from the REST reference', () => {
  it('reads restock_type per line: no_restock leaves the goods out of stock', async () => {
    const doc = await json('rest-refund.json');
    doc.refund.refund_line_items[0].restock_type = 'no_restock';
    doc.refund.refund_line_items[1].restock_type = 'return';
    const t = tx((await normalizeText(JSON.stringify(doc))).events[0]);
    expect(t.lines.map((l) => l.restock)).toEqual([false, true]);
  });

  it('reconciles without a discrepancy when order adjustments explain the money', async () => {
    const doc = await json('rest-refund.json');
    // 398.00 + 7.96 tax refunded, 196.96 kept back: Shopify records that as a refund_discrepancy adjustment.
    doc.refund.order_adjustments = [
      {
        id: 1,
        order_id: 450789469,
        refund_id: 509562969,
        amount: '196.96',
        tax_amount: '0.00',
        kind: 'refund_discrepancy',
        reason: 'Refund discrepancy',
      },
    ];
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(tx(result.events[0]).fees).toEqual([
      { kind: 'refund_discrepancy', amount: { minor: 19696, currency: 'USD', exponent: 2 }, taxes: [] },
    ]);
  });

  it('refunds shipping as a negative adjustment', async () => {
    const doc = await json('rest-refund.json');
    doc.refund.refund_line_items = [];
    doc.refund.order_adjustments = [{ amount: '-5.00', tax_amount: '-0.30', kind: 'shipping_refund' }];
    doc.refund.transactions[0].amount = '5.30';
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.warnings).toEqual([]);
    const t = tx(result.events[0]);
    expect(t.total.minor).toBe(-530);
    expect(t.fees).toMatchObject([
      { kind: 'shipping_refund', amount: { minor: -500 }, taxes: [{ amount: { minor: -30 } }] },
    ]);
  });

  it('prorates the tax of a partly refunded line, and says so', async () => {
    const doc = await json('rest-refund.json');
    doc.refund.refund_line_items = [doc.refund.refund_line_items[0]];
    doc.refund.refund_line_items[0].line_item.quantity = 3;
    doc.refund.refund_line_items[0].line_item.tax_lines[0].price = '11.94';
    doc.refund.transactions[0].amount = '202.98';
    const result = await normalizeText(JSON.stringify(doc));
    const t = tx(result.events[0]);
    expect(t.lines[0]?.taxes[0]?.amount.minor).toBe(-398);
    expect(result.warnings).toEqual([]);
    doc.refund.refund_line_items[0].line_item.tax_lines[0].price = '11.95';
    const rounded = await normalizeText(JSON.stringify(doc));
    expect(rounded.warnings.map((w) => w.code)).toContain('shopify.prorated');
  });

  it('uses the refund line subtotal and total_tax when Shopify states them', async () => {
    const doc = await json('rest-refund.json');
    doc.refund.refund_line_items = [
      { ...doc.refund.refund_line_items[0], subtotal: '179.10', total_tax: '3.58' },
    ];
    doc.refund.transactions[0].amount = '182.68';
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.warnings).toEqual([]);
    const [line] = tx(result.events[0]).lines;
    expect(line?.discounts).toMatchObject([{ amount: { minor: 1990 } }]);
    expect(line?.taxes).toMatchObject([{ name: 'State Tax', amount: { minor: -358 } }]);
  });

  it('reads taxes as included when only that reading matches the money paid back', async () => {
    const doc = await json('rest-refund.json');
    doc.refund.transactions[0].amount = '398.00';
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.warnings).toEqual([]);
    expect(tx(result.events[0]).lines.flatMap((l) => l.taxes.map((x) => x.included))).toEqual([true, true]);
  });

  it('leaves failed refund transactions out and refuses a malformed amount', async () => {
    const doc = await json('rest-refund.json');
    doc.refund.transactions.push({ ...doc.refund.transactions[0], id: 2, status: 'failure' });
    expect(tx((await normalizeText(JSON.stringify(doc))).events[0]).tenders).toHaveLength(1);
    doc.refund.transactions[0].amount = '209,00';
    const bad = await normalizeText(JSON.stringify(doc));
    expect(bad.problems).toMatchObject([
      { code: 'money.not_a_number', pointer: '/refund/transactions/0/amount' },
    ]);
  });
});
