import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Big, type RetailTransaction, roundToMinor } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { formBodyToJson as webhookFormToJson } from '../form-body.ts';
import { normalizeText } from '../normalize-document.ts';
import { looksLikeXSeriesSale } from './lightspeed-x-normalizer.ts';

// biome-ignore lint/suspicious/noExplicitAny: vendor documents are read and edited freely in these tests
type Json = Record<string, any>;
const fixture = (name: string) => readFile(join(import.meta.dirname, '..', '..', 'fixtures', name), 'utf8');
const US = { currency: 'USD', timeZone: 'America/Chicago' };
const NZ = { currency: 'NZD', timeZone: 'Pacific/Auckland' };

/** The webhook fixture's sale, decoded from its `payload` text. */
async function webhookSale(): Promise<Json> {
  return JSON.parse(JSON.parse(await fixture('lightspeed-x/sale-closed-three-lines.webhook.json')).payload);
}
const asWebhook = (sale: Json) => JSON.stringify({ payload: JSON.stringify(sale), type: 'sale.update' });
const data = (result: { events: Array<{ data: unknown }> }, i = 0) =>
  result.events[i]!.data as RetailTransaction;
/** The document's own total (total_price + total_tax), in cents rounded the way the till rounded it. */
const statedCents = (totals: Json) =>
  Number(roundToMinor(new Big(String(totals.total_price)).plus(String(totals.total_tax)), 2));
/** A stated amount in cents, read from its text without a float. */
const cents = (amount: unknown) => Number(roundToMinor(new Big(String(amount)), 2));

describe('lightspeed-x detection', () => {
  it('claims its own sales, wrapped in a webhook body or bare', async () => {
    for (const name of [
      'sale-closed-three-lines.webhook.json',
      'return-parked.json',
      'return-full.json',
      'return-partial.json',
      'sale-split-payment.json',
    ]) {
      expect((await normalizeText(await fixture(`lightspeed-x/${name}`), US)).format).toBe('lightspeed-x');
    }
  });

  it("never claims another vendor's document", async () => {
    for (const name of [
      'canonical/sale-two-lines.json',
      'lightspeed-r/sale-create-response.json',
      'lightspeed-r/sale-completed-multi-payment.json',
      'adyen/terminal-api_payment-sync-success.json',
    ]) {
      expect(looksLikeXSeriesSale((await fixture(name)).slice(0, 8192))).toBe(false);
    }
    expect(looksLikeXSeriesSale('{"order":{"line_items":[],"location_id":1,"id":2}}')).toBe(false);
    expect(looksLikeXSeriesSale('payload=%7B%22register_sale_products%22')).toBe(false);
  });
});

describe('lightspeed-x closed sale (webhook)', () => {
  it('maps a three-line sale whose taxes add up to a half cent, rounding once like the till', async () => {
    const text = await fixture('lightspeed-x/sale-closed-three-lines.webhook.json');
    const result = await normalizeText(text, US);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.events.map((e) => e.type)).toEqual(['sale.completed.v1']);
    const sale = data(result);
    const totals = (await webhookSale()).totals;
    // The document's total is 50.00000 + 4.12500 = 54.12500, paid as 54.13 (total_to_pay -0.00500).
    expect(sale.total).toEqual({ minor: 5413, currency: 'USD', exponent: 2 });
    expect(sale.total.minor).toBe(statedCents(totals));
    expect(sale.total.minor).toBe(cents(totals.total_payment));
    expect(sale.stated).toEqual({
      grand: { minor: 5413, currency: 'USD', exponent: 2 },
      tax: { minor: 413, currency: 'USD', exponent: 2 },
      net: { minor: 5000, currency: 'USD', exponent: 2 },
    });
    expect(sale.lines.map((l) => [l.quantity, l.extendedAmount.minor, l.taxes[0]?.amount.minor])).toEqual([
      ['1', 2490, 206],
      ['1', 1250, 103],
      ['2', 1260, 104],
    ]);
    expect(sale.lines[0]).toMatchObject({
      direction: 'sale',
      unitPrice: { amount: '24.90000', currency: 'USD' },
      taxes: [{ name: 'Sales Tax', rate: '8.25', included: false }],
      extensions: { 'lightspeed-x': { tax: '2.05425', tax_total: '2.05425' } },
    });
    expect(sale.extensions).toMatchObject({
      'lightspeed-x': { exactTotal: '54.125', rounding: '0.005', totals: { total_to_pay: '-0.00500' } },
    });
    expect(sale.tenders).toMatchObject([
      { type: 'card', amount: { minor: 5413 }, sourceType: 'Counter card terminal', purpose: 'payment' },
    ]);
  });

  it('keeps the identity: outlet, register, business day at the outlet, invoice sequence, ids and version', async () => {
    const result = await normalizeText(
      await fixture('lightspeed-x/sale-closed-three-lines.webhook.json'),
      US,
    );
    const sale = data(result);
    // 01:12 UTC on 3 May is the evening of 2 May in Chicago.
    expect(sale.key).toEqual({
      storeId: '0a6f6e36-8b3a-11ee-f1c2-4e2a1b7c0001',
      workstationId: '0a6f6e36-8b3a-11ee-f1c2-4e2a1b7c3a10',
      businessDay: '2024-05-02',
      sequence: '1043',
      businessDaySource: 'derived',
    });
    expect(sale.receiptNumber).toBe('1043');
    expect(sale.occurredAt).toMatchObject({ raw: '2024-05-03T01:12:44Z', utc: '2024-05-03T01:12:44.000Z' });
    expect(sale.source).toMatchObject({
      system: 'lightspeed-x',
      format: 'register-sale',
      version: '21987412250',
      timestamps: { sale_date: '2024-05-03T01:12:44Z', created_at: '2024-05-03 01:12:50' },
    });
    expect(sale.source.ids).toEqual(
      expect.arrayContaining([
        { scheme: 'lightspeed-x.sale', value: 'c3e1f7a2-0917-11ef-a5d4-02a8e3b1c001' },
        { scheme: 'lightspeed-x.short_code', value: 'k7vq2m' },
        { scheme: 'lightspeed-x.invoice_number', value: '1043' },
      ]),
    );
    expect(result.events[0]).toMatchObject({
      subject: '0a6f6e36-8b3a-11ee-f1c2-4e2a1b7c0001',
      source: '/lightspeed-x/stores/0a6f6e36-8b3a-11ee-f1c2-4e2a1b7c0001',
      time: '2024-05-03T01:12:44.000Z',
    });
  });

  it('keeps a customer reference and the operator id, never the snapshot PII', async () => {
    const result = await normalizeText(
      await fixture('lightspeed-x/sale-closed-three-lines.webhook.json'),
      US,
    );
    expect(data(result).customer).toEqual({
      customerId: '0a6f6e36-8b3a-11ee-f1c2-4e2a1c11f0aa',
      ids: [{ scheme: 'lightspeed-x.customer', value: '0a6f6e36-8b3a-11ee-f1c2-4e2a1c11f0aa' }],
    });
    expect(data(result).operator).toEqual({ id: '0a6f6e36-8b3a-11ee-f1c2-4e2a1b7d9e01' });
    const json = JSON.stringify(result.events);
    for (const pii of [
      'ana@example.com',
      'Example',
      '555 0134',
      'Jo Cashier',
      'jo@example.com',
      'Ana-7QX2',
    ]) {
      expect(json).not.toContain(pii);
    }
  });

  it('gives the same event for the webhook body, the bare sale and the form-encoded body', async () => {
    const text = await fixture('lightspeed-x/sale-closed-three-lines.webhook.json');
    const wrapped = await normalizeText(text, US);
    const bare = await normalizeText(JSON.stringify(await webhookSale()), US);
    const form = new URLSearchParams(JSON.parse(text)).toString();
    const decoded = await normalizeText(webhookFormToJson(form), US);
    expect(bare.events).toEqual(wrapped.events);
    expect(decoded.events).toEqual(wrapped.events);
    expect((await normalizeText(text, US)).events[0]!.id).toBe(wrapped.events[0]!.id);
  });

  it('names a newer version of the same sale with the same event id, carrying the new version', async () => {
    const sale = await webhookSale();
    const first = await normalizeText(asWebhook(sale), US);
    const later = await normalizeText(asWebhook({ ...sale, version: 21987412999 }), US);
    expect(later.events[0]!.id).toBe(first.events[0]!.id);
    expect(data(later).source.version).toBe('21987412999');
  });
});

describe('lightspeed-x returns', () => {
  it('reports a parked (SAVED) return with a warning and emits nothing: it moves no money or stock', async () => {
    const result = await normalizeText(await fixture('lightspeed-x/return-parked.json'), US);
    expect(result.events).toEqual([]);
    expect(result.problems).toEqual([]);
    expect(result.skipped).toBe(1);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'lightspeed-x.parked', pointer: '/status', severity: 'warning' }),
    ]);
    expect(result.warnings[0]!.message).toContain('return of sale c3e1f7a2-0917-11ef-a5d4-02a8e3b1c001');
  });

  it('maps the closed full return as the mirror of its sale, linked by return_for', async () => {
    const text = await fixture('lightspeed-x/return-full.json');
    const result = await normalizeText(text, US);
    expect(result.problems).toEqual([]);
    expect(result.events.map((e) => e.type)).toEqual(['return.completed.v1']);
    const ret = data(result);
    const doc = JSON.parse(text);
    expect(ret.total.minor).toBe(-5413);
    expect(ret.total.minor).toBe(statedCents(doc.totals));
    expect(ret.total.minor).toBe(cents(doc.totals.total_payment));
    expect(
      ret.lines.map((l) => [l.direction, l.quantity, l.extendedAmount.minor, l.taxes[0]?.amount.minor]),
    ).toEqual([
      ['return', '-1', -2490, -206],
      ['return', '-1', -1250, -103],
      ['return', '-2', -1260, -104],
    ]);
    expect(ret.links).toEqual([
      {
        kind: 'return',
        ids: [{ scheme: 'lightspeed-x.sale', value: 'c3e1f7a2-0917-11ef-a5d4-02a8e3b1c001' }],
      },
    ]);
    expect(ret.tenders).toMatchObject([{ type: 'card', amount: { minor: -5413 }, purpose: 'refund' }]);
    expect(ret.extensions).toMatchObject({ 'lightspeed-x': { rounding: '-0.005' } });
  });

  it('keeps quantity-0 lines of a partial return without letting them move anything', async () => {
    const text = await fixture('lightspeed-x/return-partial.json');
    const result = await normalizeText(text, NZ);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    const ret = data(result);
    const doc = JSON.parse(text);
    expect(ret.kind).toBe('return');
    expect(ret.total).toEqual({ minor: -800, currency: 'NZD', exponent: 2 });
    expect(ret.total.minor).toBe(statedCents(doc.totals));
    expect(ret.lines.map((l) => [l.quantity, l.extendedAmount.minor, l.taxes[0]?.amount.minor])).toEqual([
      ['-1', -696, -104],
      ['0', 0, 0],
      ['0', 0, 0],
    ]);
    // The walk-in customer is Lightspeed's "no customer".
    expect(ret.customer).toBeUndefined();
    expect(ret.key.businessDay).toBe('2024-03-09');
  });
});

describe('lightspeed-x split payment (Sales API 2.0)', () => {
  it('maps JSON-number amounts, a line discount and two tenders', async () => {
    const text = await fixture('lightspeed-x/sale-split-payment.json');
    const result = await normalizeText(text, NZ);
    expect(result.problems).toEqual([]);
    const sale = data(result);
    const doc = JSON.parse(text).data;
    expect(sale.total).toEqual({ minor: 9030, currency: 'NZD', exponent: 2 });
    expect(sale.total.minor).toBe(statedCents(doc));
    expect(sale.tenders.map((t) => [t.type, t.amount.minor, t.sourceType])).toEqual([
      ['cash', 4000, 'Cash'],
      ['card', 5030, 'EFTPOS'],
    ]);
    expect(sale.lines[1]).toMatchObject({
      quantity: '1.0',
      extendedAmount: { minor: 3913 },
      discounts: [{ kind: 'amount', amount: { minor: -391 } }],
      taxes: [{ amount: { minor: 528 } }],
    });
    // 23:10 UTC on 7 March is the next day in Auckland.
    expect(sale.key).toMatchObject({ businessDay: '2024-03-08', sequence: '2207' });
    expect(sale.source.format).toBe('sales-2.0');
  });
});

describe('lightspeed-x statuses', () => {
  it('books an on-account sale with the unpaid balance as an on-account tender', async () => {
    const sale = { ...(await webhookSale()), status: 'ONACCOUNT', register_sale_payments: [] };
    const result = await normalizeText(asWebhook(sale), US);
    expect(result.problems).toEqual([]);
    expect(data(result).tenders).toEqual([
      expect.objectContaining({ type: 'on_account', amount: { minor: 5413, currency: 'USD', exponent: 2 } }),
    ]);
  });

  it('maps VOIDED to a voided transaction and skips pending laybys with a warning', async () => {
    const sale = await webhookSale();
    const voided = await normalizeText(
      asWebhook({ ...sale, status: 'VOIDED', register_sale_payments: [] }),
      US,
    );
    expect(voided.events.map((e) => e.type)).toEqual(['transaction.voided.v1']);
    expect(data(voided).total.minor).toBe(5413);
    const layby = await normalizeText(asWebhook({ ...sale, status: 'LAYBY' }), US);
    expect(layby.events).toEqual([]);
    expect(layby.problems).toEqual([]);
    expect(layby.warnings).toMatchObject([{ code: 'lightspeed-x.pending', severity: 'warning' }]);
    const closedLayby = await normalizeText(asWebhook({ ...sale, status: 'LAYBY_CLOSED' }), US);
    expect(closedLayby.events.map((e) => e.type)).toEqual(['sale.completed.v1']);
  });

  it('reads 2.0 state and attributes when there is no legacy status', async () => {
    const sale = await webhookSale();
    const { status: _status, ...rest } = sale;
    const parked = await normalizeText(asWebhook({ ...rest, state: 'parked' }), US);
    expect(parked.problems).toEqual([]);
    expect(parked.warnings).toMatchObject([{ code: 'lightspeed-x.parked', pointer: '/payload/state' }]);
    const onAccount = await normalizeText(
      asWebhook({ ...rest, state: 'pending', attributes: ['onaccount'], register_sale_payments: [] }),
      US,
    );
    expect(data(onAccount).tenders[0]?.type).toBe('on_account');
  });

  it('refuses a status Lightspeed does not document', async () => {
    const result = await normalizeText(asWebhook({ ...(await webhookSale()), status: 'SOMETHING' }), US);
    expect(result.problems).toMatchObject([
      { code: 'lightspeed-x.status_unknown', pointer: '/payload/status' },
    ]);
  });
});

describe('lightspeed-x quirks', () => {
  it("records cash rounding when a cash payment is rounded to the payment type's coin", async () => {
    const doc = JSON.parse(await fixture('lightspeed-x/return-partial.json'));
    doc.register_sale_products[0].price_total = '-6.97826';
    doc.register_sale_products[0].tax_total = '-1.04674';
    doc.totals = { ...doc.totals, total_price: '-6.97826', total_tax: '-1.04674', total_to_pay: '-0.02500' };
    doc.taxes[0].tax = -1.04674;
    const result = await normalizeText(JSON.stringify(doc), NZ);
    expect(result.problems).toEqual([]);
    // The return comes to -8.02500, that is -8.03; the cash refund of -8.00 keeps 0.03 back.
    expect(data(result).cashRounding).toEqual({ minor: 3, currency: 'NZD', exponent: 2 });
    expect(data(result).total.minor).toBe(-800);
  });

  it('reads the discount product line as a sale-level discount with its tax', async () => {
    const sale = await webhookSale();
    sale.register_sale_products.push({
      discount: '0.00000',
      id: 'c3e1f7a2-0917-11ef-a5d4-02a8e3b1dd01',
      is_return: false,
      price: '5.00000',
      price_total: '-5.00000',
      product_id: 'c3e1f7a2-0917-11ef-a5d4-02a8e3b1d15c',
      quantity: -1,
      tax: '0.41250',
      tax_id: sale.register_sale_products[0].tax_id,
      tax_total: '-0.41250',
    });
    sale.totals = { ...sale.totals, total_price: '45.00000', total_tax: '3.71250', total_to_pay: '0.00250' };
    sale.register_sale_payments[0].amount = 48.71;
    sale.taxes[0].tax = 3.7125;
    const result = await normalizeText(asWebhook(sale), US);
    expect(result.problems).toEqual([]);
    const mapped = data(result);
    expect(mapped.kind).toBe('sale');
    expect(mapped.lines).toHaveLength(3);
    expect(mapped.discounts).toMatchObject([{ kind: 'amount', amount: { minor: -500 } }]);
    expect(mapped.taxes).toMatchObject([{ amount: { minor: -41 }, included: false }]);
    expect(mapped.total.minor).toBe(4871);
  });

  it('maps returned and sold lines together as an exchange', async () => {
    const sale = await webhookSale();
    sale.register_sale_products[2] = {
      ...sale.register_sale_products[2],
      is_return: true,
      quantity: -2,
      price_total: '-12.60000',
      tax_total: '-1.03950',
    };
    sale.totals = { ...sale.totals, total_price: '24.80000', total_tax: '2.04600', total_to_pay: '0.00400' };
    sale.register_sale_payments[0].amount = 26.85;
    sale.taxes[0].tax = 2.046;
    const result = await normalizeText(asWebhook(sale), US);
    expect(result.problems).toEqual([]);
    expect(result.events.map((e) => e.type)).toEqual(['exchange.completed.v1']);
    expect(data(result).total.minor).toBe(2685);
  });

  it('says where the document disagrees with itself and keeps the lines', async () => {
    const sale = await webhookSale();
    sale.totals.total_price = '50.01000';
    sale.taxes[0].tax = -4.125;
    const result = await normalizeText(asWebhook(sale), US);
    expect(result.events).toHaveLength(1);
    expect(result.warnings.map((w) => [w.code, w.pointer])).toEqual([
      ['lightspeed-x.totals_differ', '/payload/totals/total_price'],
      ['lightspeed-x.totals_differ', '/payload/taxes'],
    ]);
    expect(data(result).total.minor).toBe(5413);
  });

  it('warns that the business day is a UTC date when no time zone is given', async () => {
    const result = await normalizeText(await fixture('lightspeed-x/return-full.json'), { currency: 'USD' });
    expect(result.warnings).toMatchObject([{ code: 'time_zone.missing', pointer: '/sale_date' }]);
    expect(data(result).key.businessDay).toBe('2024-05-04');
  });
});

describe('lightspeed-x bad input', () => {
  it('refuses money written with a decimal comma, pointing inside the payload', async () => {
    const sale = await webhookSale();
    sale.register_sale_products[0].price_total = '24,90000';
    const result = await normalizeText(asWebhook(sale), US);
    expect(result.events).toEqual([]);
    expect(result.problems).toMatchObject([
      { code: 'money.not_a_number', pointer: '/payload/register_sale_products/0/price_total' },
    ]);
  });

  it('needs a currency it knows, since a sale names none', async () => {
    const text = await fixture('lightspeed-x/return-full.json');
    expect((await normalizeText(text, { timeZone: 'UTC' })).problems).toMatchObject([
      { code: 'currency.missing' },
    ]);
    expect((await normalizeText(text, { currency: 'ABC' })).problems).toMatchObject([
      { code: 'currency.unknown' },
    ]);
  });

  it('lists every missing id at once', async () => {
    const {
      outlet_id: _o,
      register_id: _r,
      invoice_number: _n,
      invoice_sequence: _s,
      ...sale
    } = await webhookSale();
    const result = await normalizeText(asWebhook(sale), US);
    expect(result.problems.map((p) => [p.code, p.pointer])).toEqual([
      ['field.missing', '/payload/outlet_id'],
      ['field.missing', '/payload/register_id'],
      ['field.missing', '/payload/invoice_sequence'],
    ]);
    const withStore = await normalizeText(asWebhook({ ...sale, register_id: 'r1', invoice_number: '9' }), {
      ...US,
      storeId: 'outlet-9',
    });
    expect(data(withStore).key.storeId).toBe('outlet-9');
  });

  it('refuses a full card number inside the payload without echoing it', async () => {
    const sale = await webhookSale();
    sale.note = 'card 4111111111111111 declined, took cash';
    const result = await normalizeText(asWebhook(sale), US);
    expect(result.events).toEqual([]);
    expect(result.problems).toMatchObject([{ code: 'card.full_number', pointer: '/payload' }]);
    expect(JSON.stringify(result.problems)).not.toContain('4111111111111111');
  });

  it('refuses a malformed sale date', async () => {
    const result = await normalizeText(
      asWebhook({ ...(await webhookSale()), sale_date: '2024-02-30 25:61:00' }),
      US,
    );
    expect(result.problems).toMatchObject([{ code: 'time.invalid', pointer: '/payload/sale_date' }]);
  });

  it('refuses a payload that is not JSON and a webhook that is not about a sale', async () => {
    const broken = await normalizeText(
      '{"payload": "{\\"register_sale_products\\": [", "type": "sale.update"}',
      US,
    );
    expect(broken.problems).toMatchObject([{ code: 'json.invalid', pointer: '/payload' }]);
    const product = await normalizeText(
      JSON.stringify({ payload: '{"register_sale_products": []}', type: 'product.update' }),
      { ...US, format: 'lightspeed-x' },
    );
    expect(product.problems).toMatchObject([{ code: 'lightspeed-x.not_a_sale', pointer: '/type' }]);
  });
});
