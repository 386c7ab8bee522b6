import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Big, type RetailTransaction, roundToMinor } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { MapContext } from '../map-context.ts';
import { normalizeText } from '../normalize-document.ts';
import { parseVendorJson } from '../vendor-json.ts';
import { looksLikeRSeriesSale } from './lightspeed-r-normalizer.ts';
import { mapRSaleLine } from './map-sale-line.ts';

// biome-ignore lint/suspicious/noExplicitAny: vendor documents are read and edited freely in these tests
type Json = Record<string, any>;
const fixture = (name: string) => readFile(join(import.meta.dirname, '..', '..', 'fixtures', name), 'utf8');
const doc = async (name: string): Promise<Json> => JSON.parse(await fixture(`lightspeed-r/${name}`));
const CAD = { currency: 'CAD' };
const data = (result: { events: Array<{ data: unknown }> }, i = 0) =>
  result.events[i]!.data as RetailTransaction;
/** A stated amount in cents, read from its text without a float. */
const cents = (amount: string) => Number(roundToMinor(new Big(amount), 2));

describe('lightspeed-r detection', () => {
  it('claims its sales and SaleLine lists, and nothing of other vendors', async () => {
    for (const name of [
      'sale-create-response.json',
      'saleline-list-sale-2.json',
      'sale-completed-multi-payment.json',
      'sale-return.json',
    ]) {
      expect((await normalizeText(await fixture(`lightspeed-r/${name}`), CAD)).format).toBe('lightspeed-r');
    }
    for (const name of [
      'canonical/sale-two-lines.json',
      'lightspeed-x/return-full.json',
      'lightspeed-x/sale-closed-three-lines.webhook.json',
      'adyen/terminal-api_payment-sync-success.json',
    ]) {
      expect(looksLikeRSeriesSale((await fixture(name)).slice(0, 8192))).toBe(false);
    }
  });
});

describe('lightspeed-r vendor samples', () => {
  it('reports the created but not completed sale #121 with a warning and emits nothing', async () => {
    const result = await normalizeText(await fixture('lightspeed-r/sale-create-response.json'), {
      currency: 'USD',
    });
    expect(result.events).toEqual([]);
    expect(result.problems).toEqual([]);
    expect(result.skipped).toBe(1);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'lightspeed-r.not_completed',
        pointer: '/Sale/completed',
        severity: 'warning',
      }),
    ]);
  });

  it('maps sale #121 once completed and paid: a single SaleLine object, total = calcTotal', async () => {
    const sale = await doc('sale-create-response.json');
    sale.Sale.completed = 'true';
    sale.Sale.SalePayments = {
      SalePayment: {
        salePaymentID: '9',
        amount: '2.46',
        archived: 'false',
        PaymentType: { name: 'Cash', type: 'cash' },
      },
    };
    const result = await normalizeText(JSON.stringify(sale), { currency: 'USD' });
    expect(result.problems).toEqual([]);
    const mapped = data(result);
    expect(mapped.total.minor).toBe(cents(sale.Sale.calcTotal));
    expect(mapped.lines).toMatchObject([
      {
        lineNumber: '203',
        quantity: '2',
        unitPrice: { amount: '1.23' },
        extendedAmount: { minor: 246 },
        taxes: [],
      },
    ]);
    // 00:49 UTC on 13 February is the afternoon of the 12th at the shop (US/Pacific).
    expect(mapped.key).toEqual({
      storeId: '1',
      workstationId: '1',
      businessDay: '2016-02-12',
      sequence: '220000000121',
      businessDaySource: 'derived',
    });
    expect(result.warnings).toMatchObject([{ code: 'lightspeed-r.complete_time_missing' }]);
  });

  it('refuses a SaleLine list on its own with a clear problem', async () => {
    const result = await normalizeText(await fixture('lightspeed-r/saleline-list-sale-2.json'), CAD);
    expect(result.events).toEqual([]);
    expect(result.problems).toMatchObject([
      { code: 'lightspeed-r.sale_lines_only', pointer: '/SaleLine', severity: 'error' },
    ]);
    expect(result.problems[0]!.message).toContain('of sale 2');
  });

  it('reads the listed SaleLine itself exactly: 90090 x 7 with 9 % tax is 687386.7', async () => {
    const parsed = parseVendorJson(await fixture('lightspeed-r/saleline-list-sale-2.json'));
    if (!parsed.ok) throw new Error(parsed.message);
    const ctx = new MapContext();
    const line = mapRSaleLine(ctx, (parsed.value as Json).SaleLine, '/SaleLine', 0, 'USD', {});
    expect(ctx.problems).toEqual([]);
    expect(line).toMatchObject({
      lineNumber: '1',
      quantity: '90090',
      taxable: true,
      tax1Rate: '9',
      tax1Name: 'Sales Tax',
      item: { sku: 'testitem1', description: 'Test Item 001' },
    });
    expect(line!.subtotal.plus(line!.tax1).plus(line!.tax2).toFixed()).toBe('687386.7');
  });
});

describe('lightspeed-r completed sale', () => {
  it('maps three lines, two taxes rounded per sale, a card and cash with change', async () => {
    const source = await doc('sale-completed-multi-payment.json');
    const result = await normalizeText(JSON.stringify(source), CAD);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.events.map((e) => e.type)).toEqual(['sale.completed.v1']);
    const sale = data(result);
    expect(sale.total).toEqual({ minor: 5717, currency: 'CAD', exponent: 2 });
    expect(sale.total.minor).toBe(cents(source.Sale.calcTotal));
    expect(sale.stated).toMatchObject({
      grand: { minor: 5717 },
      tax: { minor: 569 },
      discount: { minor: 200 },
    });
    // calcTax1 0.899 + 1 = 1.899 is stated as 1.9; calcTax2 1.793505 + 1.995 = 3.788505 as 3.79.
    expect(
      sale.lines.map((l) => [
        l.extendedAmount.minor,
        l.discounts.map((d) => d.amount.minor),
        l.taxes.map((t) => t.amount.minor),
      ]),
    ).toEqual([
      [1998, [-200], [90, 179]],
      [2000, [], [100, 200]],
      [1350, [], []],
    ]);
    expect(sale.lines[0]!.taxes).toMatchObject([
      { name: 'GST', rate: '5', included: false },
      { name: 'QST', rate: '9.975', included: false },
    ]);
    expect(sale.lines[0]!.extensions).toMatchObject({
      'lightspeed-r': { calcTax2: '1.793505', calcTotal: '20.672505' },
    });
    expect(sale.tenders).toMatchObject([
      {
        type: 'card',
        amount: { minor: 4000 },
        card: { brand: 'visa', last4: '4242', authorizationCode: '081533', pspReference: '7L2K91XQ' },
      },
      // Stored as 17.17 with 2.83 change on the sale: the customer handed over 20.00.
      { type: 'cash', amount: { minor: 2000 }, change: { minor: 283 } },
    ]);
    expect(JSON.stringify(result.events)).not.toContain('XXXXXXXXXXXX4242');
  });

  it("derives the business day in the shop's zone and keeps the ids", async () => {
    const result = await normalizeText(await fixture('lightspeed-r/sale-completed-multi-payment.json'), CAD);
    const sale = data(result);
    // Completed at 02:41 UTC on 11 November: 21:41 on the 10th in Canada/Eastern.
    expect(sale.key).toEqual({
      storeId: '3',
      workstationId: '2',
      businessDay: '2016-11-10',
      sequence: '220000000388',
      businessDaySource: 'derived',
    });
    expect(sale.receiptNumber).toBe('220000000388');
    expect(sale.operator).toEqual({ id: '4' });
    expect(sale.customer).toMatchObject({ customerId: '19' });
    expect(sale.startedAt?.raw).toBe('2016-11-11T02:38:55+00:00');
    expect(sale.source.ids).toEqual([
      { scheme: 'lightspeed-r.saleID', value: '388' },
      { scheme: 'lightspeed-r.ticketNumber', value: '220000000388' },
    ]);
    const withZone = await normalizeText(await fixture('lightspeed-r/sale-completed-multi-payment.json'), {
      ...CAD,
      timeZone: 'Asia/Tokyo',
    });
    expect(data(withZone).key.businessDay).toBe('2016-11-10');
    expect(withZone.warnings).toMatchObject([{ code: 'lightspeed-r.time_zone_differs' }]);
  });

  it('maps the refund with negative lines linked to the SaleLines they refund', async () => {
    const source = await doc('sale-return.json');
    const result = await normalizeText(JSON.stringify(source), CAD);
    expect(result.problems).toEqual([]);
    expect(result.events.map((e) => e.type)).toEqual(['return.completed.v1']);
    const ret = data(result);
    expect(ret.total.minor).toBe(cents(source.Sale.calcTotal));
    expect(ret.total.minor).toBe(-2750);
    expect(
      ret.lines.map((l) => [
        l.direction,
        l.quantity,
        l.extendedAmount.minor,
        l.taxes.map((t) => t.amount.minor),
      ]),
    ).toEqual([
      ['return', '-1', -2000, [-100, -200]],
      ['return', '-1', -450, []],
    ]);
    expect(ret.lines.map((l) => l.originalLine)).toEqual([
      { kind: 'return', ids: [{ scheme: 'lightspeed-r.saleLineID', value: '513' }] },
      { kind: 'return', ids: [{ scheme: 'lightspeed-r.saleLineID', value: '514' }] },
    ]);
    expect(ret.tenders).toMatchObject([{ type: 'cash', amount: { minor: -2750 }, purpose: 'refund' }]);
  });

  it('maps voided sales: post-void once completed, void before', async () => {
    const sale = await doc('sale-completed-multi-payment.json');
    sale.Sale.voided = 'true';
    const postVoid = await normalizeText(JSON.stringify(sale), CAD);
    expect(postVoid.events.map((e) => e.type)).toEqual(['transaction.post_voided.v1']);
    sale.Sale.completed = 'false';
    sale.Sale.SalePayments = { SalePayment: [] };
    const cancelled = await normalizeText(JSON.stringify(sale), CAD);
    expect(cancelled.events.map((e) => e.type)).toEqual(['transaction.voided.v1']);
    expect(data(cancelled).total.minor).toBe(5717);
  });

  it('leaves archived payments out and says so', async () => {
    const sale = await doc('sale-completed-multi-payment.json');
    sale.Sale.SalePayments.SalePayment.push({ salePaymentID: '240', amount: '5', archived: 'true' });
    const result = await normalizeText(JSON.stringify(sale), CAD);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toMatchObject([{ code: 'lightspeed-r.payment_archived' }]);
  });

  it('marks taxes as included in a tax-inclusive sale', async () => {
    const sale = await doc('sale-return.json');
    sale.Sale.isTaxInclusive = 'true';
    sale.Sale.calcTotal = '-24.5';
    sale.Sale.SalePayments.SalePayment.amount = '-24.5';
    const result = await normalizeText(JSON.stringify(sale), CAD);
    expect(result.problems).toEqual([]);
    expect(data(result).lines[0]!.taxes.every((t) => t.included)).toBe(true);
    expect(data(result).total.minor).toBe(-2450);
  });
});

describe('lightspeed-r bad input', () => {
  it('refuses money with a decimal comma and a boolean that is not one', async () => {
    const sale = await doc('sale-completed-multi-payment.json');
    sale.Sale.calcTotal = '57,17';
    sale.Sale.voided = 'perhaps';
    const result = await normalizeText(JSON.stringify(sale), CAD);
    expect(result.problems.map((p) => [p.code, p.pointer])).toEqual([
      ['boolean.invalid', '/Sale/voided'],
      ['money.not_a_number', '/Sale/calcTotal'],
    ]);
  });

  it('needs a currency it knows', async () => {
    const text = await fixture('lightspeed-r/sale-return.json');
    expect((await normalizeText(text)).problems).toMatchObject([{ code: 'currency.missing' }]);
    expect((await normalizeText(text, { currency: 'XYZ' })).problems).toMatchObject([
      { code: 'currency.unknown' },
    ]);
  });

  it('lists missing ids', async () => {
    const sale = await doc('sale-return.json');
    delete sale.Sale.shopID;
    sale.Sale.registerID = '0';
    const result = await normalizeText(JSON.stringify(sale), CAD);
    expect(result.problems.map((p) => [p.code, p.pointer])).toEqual([
      ['field.missing', '/Sale/shopID'],
      ['field.missing', '/Sale/registerID'],
    ]);
  });

  it('refuses a full card number without echoing it, and a malformed completion time', async () => {
    const sale = await doc('sale-completed-multi-payment.json');
    sale.Sale.SalePayments.SalePayment[0].CCCharge.xnum = '4012888888881881';
    const card = await normalizeText(JSON.stringify(sale), CAD);
    expect(card.problems).toMatchObject([
      { code: 'card.full_number', pointer: '/Sale/SalePayments/SalePayment/0/CCCharge/xnum' },
    ]);
    expect(JSON.stringify(card.problems)).not.toContain('4012888888881881');
    const late = await doc('sale-completed-multi-payment.json');
    late.Sale.completeTime = '2016-11-31T02:41:07+00:00';
    expect((await normalizeText(JSON.stringify(late), CAD)).problems).toMatchObject([
      { code: 'time.invalid', pointer: '/Sale/completeTime' },
    ]);
  });
});
