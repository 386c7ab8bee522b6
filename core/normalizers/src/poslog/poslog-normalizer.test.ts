import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CanonicalEvent, ControlTransaction, RetailTransaction } from '@poshub/model';
import { isDispatchable } from '@poshub/rules';
import { describe, expect, it } from 'vitest';
import { normalizeAll, normalizeText } from '../normalize-document.ts';
import type { DocumentInput } from '../normalizer.ts';
import { detectPoslog } from './poslog-normalizer.ts';

const fixture = (name: string) =>
  readFile(join(import.meta.dirname, '..', '..', 'fixtures', 'poslog', name), 'utf8');

const FIXTURES = [
  'small-sale-loyalty.xml',
  'return-linked-sale.xml',
  'sale-v6.xml',
  'exchange.xml',
  'line-void.xml',
  'control-nosale-signoff.xml',
  'training.xml',
  'cash-change.xml',
  'card-cashback.xml',
];

function retail(event: CanonicalEvent | undefined): RetailTransaction {
  expect(event?.type).not.toBe('control.recorded.v1');
  return event?.data as RetailTransaction;
}

function control(event: CanonicalEvent | undefined): ControlTransaction {
  expect(event?.type).toBe('control.recorded.v1');
  return event?.data as ControlTransaction;
}

async function normalizeFixture(name: string) {
  const result = await normalizeText(await fixture(name));
  expect(result.problems).toEqual([]);
  expect(result.format).toBe('poslog');
  return result;
}

describe('POSLog detection', () => {
  it('recognises a POSLog root with any prefix, or the ARTS namespace', async () => {
    expect(detectPoslog(await fixture('small-sale-loyalty.xml'))).toBe(true);
    expect(detectPoslog(await fixture('sale-v6.xml'))).toBe(true);
    expect(
      detectPoslog('\uFEFF<?xml version="1.0"?>\n<!-- day 2024-03-15 -->\n<arts:POSLog xmlns:arts="x">'),
    ).toBe(true);
    expect(detectPoslog('<Transaction xmlns="http://www.nrf-arts.org/IXRetail/namespace/">')).toBe(true);
    expect(detectPoslog('<order><id>1</id></order>')).toBe(false);
    expect(detectPoslog('{"POSLog": "<POSLog>"}')).toBe(false);
  });
});

describe('POSLog fixtures', () => {
  it('NCR ACS day: sign-on control, weighed sale with a loyalty reward counted once, extensions ignored', async () => {
    const { events } = await normalizeFixture('small-sale-loyalty.xml');
    expect(events.map((e) => e.type)).toEqual(['control.recorded.v1', 'sale.completed.v1']);
    const signOn = control(events[0]);
    expect(signOn).toMatchObject({
      action: 'sign_on',
      reason: 'Valid SignOn',
      key: { storeId: '9', workstationId: '34', businessDay: '2017-09-30', sequence: '160' },
    });
    const sale = retail(events[1]);
    expect(events[1]?.source).toBe('/ncr-acs/stores/9');
    expect(sale.source).toMatchObject({ system: 'ncr-acs', format: 'poslog-2.1' });
    // Business day 2017-09-30 although the sale ended on 2017-10-01: never recomputed.
    expect(sale.key.businessDay).toBe('2017-09-30');
    expect(sale.occurredAt).toEqual({
      raw: '2017-10-01T02:02:54',
      local: '2017-10-01T02:02:54',
      source: 'unknown',
    });
    expect(sale.lines).toHaveLength(1);
    expect(sale.lines[0]).toMatchObject({
      quantity: '0.42',
      unitPrice: { amount: '2.99', currency: 'USD' },
      extendedAmount: { minor: 126, currency: 'USD', exponent: 2 },
      item: { gtin: '00000000067591', description: 'APPLE HONEYCRISP ORG' },
    });
    // PromotionID 5123 / EventID 1 is listed twice (detailed and summarized): one discount.
    expect(sale.discounts).toEqual([
      {
        kind: 'loyalty_reward',
        amount: { minor: -19, currency: 'USD', exponent: 2 },
        promotionId: '5123',
        description: 'PercentOff',
      },
    ]);
    expect(sale.total).toEqual(sale.stated.grand);
    expect(sale.total.minor).toBe(107);
    expect(sale.tenders).toMatchObject([
      { type: 'card', amount: { minor: 107 }, card: { funding: 'debit', authorizationCode: '734277' } },
    ]);
    expect(sale.customer?.loyaltyAccountId).toBe('0000000000000040000066677');
  });

  it('return linked line by line to its sale, refunded in cash', async () => {
    const { events } = await normalizeFixture('return-linked-sale.xml');
    expect(events.map((e) => e.type)).toEqual(['sale.completed.v1', 'return.completed.v1']);
    const sale = retail(events[0]);
    const ret = retail(events[1]);
    expect(sale.total).toEqual(sale.stated.grand);
    expect(ret.total).toEqual(ret.stated.grand);
    expect(ret.total.minor).toBe(-2705);
    expect(ret.lines[0]).toMatchObject({
      direction: 'return',
      quantity: '-1',
      extendedAmount: { minor: -2499 },
      taxes: [{ amount: { minor: -206 }, rate: '8.25', included: false }],
      returnReason: 'Defective',
      item: { gtin: '04006381333931', sku: '100871', description: 'HIKING GLOVES M' },
    });
    const original = ret.lines[0]?.originalLine;
    expect(original).toMatchObject({ kind: 'return', lineNumber: '2' });
    const { businessDaySource: _, ...saleKey } = sale.key;
    expect(original?.key).toMatchObject(saleKey);
    expect(sale.lines.find((l) => l.lineNumber === original?.lineNumber)?.item.sku).toBe('100871');
    // The linked sale is also listed at transaction level, for ordering by business cause.
    expect(ret.links).toEqual([
      expect.objectContaining({ kind: 'return', key: expect.objectContaining(saleKey) }),
    ]);
    expect(ret.tenders).toMatchObject([{ type: 'cash', amount: { minor: -2705 }, purpose: 'refund' }]);
    expect(sale.tenders[0]?.card).toEqual({
      brand: 'Visa',
      last4: '4242',
      funding: 'credit',
      entryMethod: 'ICC',
      authorizationCode: 'A7Q113',
    });
    expect(sale.source.ids).toContainEqual({ scheme: 'poslog.ReceiptNumber', value: '0002-0207' });
  });

  it('POSLog 6.0 sale: VAT inside prices, line taxes restated by a transaction tax line, counted once', async () => {
    const { events, warnings } = await normalizeFixture('sale-v6.xml');
    expect(warnings).toEqual([]);
    expect(events).toHaveLength(1);
    const sale = retail(events[0]);
    expect(events[0]?.time).toBe('2024-06-15T12:41:02.000Z');
    expect(sale.source.format).toBe('poslog-6.0');
    expect(sale.trainingMode).toBe(false);
    expect(sale.key).toMatchObject({ storeId: '240', workstationId: '7', sequence: '1966' });
    expect(sale.total).toEqual(sale.stated.grand);
    expect(sale.total.minor).toBe(4600);
    expect(sale.lines.flatMap((l) => l.taxes.map((t) => t.included))).toEqual([true, true]);
    const lineTax = sale.lines.flatMap((l) => l.taxes).reduce((sum, t) => sum + t.amount.minor, 0);
    expect(lineTax).toBe(sale.stated.tax?.minor);
    expect(sale.taxes).toEqual([]);
    expect(sale.lines[1]).toMatchObject({
      unitPrice: { amount: '35.00' },
      extendedAmount: { minor: 3500 },
      discounts: [{ kind: 'amount', amount: { minor: -500 }, promotionId: 'SUMMER5' }],
    });
    expect(sale.lines[0]?.item).toMatchObject({
      sku: '000884120',
      gtin: '05012345678900',
      description: 'TRAIL SOCKS 2-PACK',
    });
    expect(sale.tenders[0]?.card).toMatchObject({ brand: 'Mastercard', last4: '5454' });
    expect(sale.customer).toMatchObject({ customerId: 'C-88231', loyaltyAccountId: 'LY-000412' });
    expect(sale.source.ids).toContainEqual({ scheme: 'poslog.TransactionID', value: 'TX-240-0007-1966' });
    expect(sale.source.timestamps).toMatchObject({ 'POSLogDateTime.Message': '2024-06-15T13:41:05+01:00' });
    expect(JSON.stringify(events)).not.toContain('nightly');
  });

  it('exchange: a returned and a sold line in one transaction, net paid in cash with change', async () => {
    const { events } = await normalizeFixture('exchange.xml');
    const exchange = retail(events[0]);
    expect(events[0]?.type).toBe('exchange.completed.v1');
    expect(exchange.lines.map((l) => [l.direction, l.extendedAmount.minor])).toEqual([
      ['return', -2499],
      ['sale', 3999],
    ]);
    expect(exchange.total).toEqual(exchange.stated.grand);
    expect(exchange.total.minor).toBe(1624);
    expect(exchange.tenders).toMatchObject([
      { type: 'cash', amount: { minor: 2000 }, change: { minor: 376 } },
    ]);
    expect(exchange.lines[0]?.originalLine).toMatchObject({ kind: 'exchange', lineNumber: '2' });
  });

  it('line voids: compensating lines and self-flagged lines are kept, voided, out of the totals', async () => {
    const { events, warnings } = await normalizeFixture('line-void.xml');
    expect(warnings).toEqual([]);
    const sale = retail(events[0]);
    expect(sale.lines.map((l) => [l.lineNumber, l.voided])).toEqual([
      ['1', false],
      ['2', true],
      ['3', true],
      ['5', false],
      ['6', true],
    ]);
    expect(sale.lines[2]).toMatchObject({
      direction: 'sale',
      quantity: '2',
      extendedAmount: { minor: 250 },
      voidsLine: '2',
    });
    expect(sale.total).toEqual(sale.stated.grand);
    expect(sale.total.minor).toBe(475);
    expect(sale.tenders).toMatchObject([{ type: 'cash', amount: { minor: 1000 }, change: { minor: 525 } }]);
  });

  it('control transactions: no-sale, paid-out, suspend, resume link and sign-off are recorded', async () => {
    const { events } = await normalizeFixture('control-nosale-signoff.xml');
    expect(events.map((e) => (e.data as { action?: string; kind?: string }).action ?? e.type)).toEqual([
      'no_sale',
      'paid_out',
      'suspend',
      'sale.completed.v1',
      'sign_off',
    ]);
    expect(control(events[0]).reason).toBe('Customer needed change');
    expect(control(events[1]).amount).toEqual({ minor: -1250, currency: 'USD', exponent: 2 });
    expect(control(events[2]).key.sequence).toBe('502');
    const resumed = retail(events[3]);
    expect(resumed.links).toMatchObject([{ kind: 'resume', key: { sequence: '502', workstationId: '5' } }]);
    expect(resumed.total).toEqual(resumed.stated.grand);
    expect(control(events[4]).operator).toEqual({ id: '1201', name: 'S. Okafor' });
  });

  it('training transactions are flagged and never dispatched', async () => {
    const { events } = await normalizeFixture('training.xml');
    const sale = retail(events[0]);
    expect(sale.trainingMode).toBe(true);
    expect(isDispatchable(events[0]!)).toBe(false);
    expect(sale.total).toEqual(sale.stated.grand);
    expect(sale.tenders).toMatchObject([{ amount: { minor: 2000 }, change: { minor: 1 } }]);
  });

  it('cash change both ways; the same sequence number on two registers gives two events', async () => {
    const { events } = await normalizeFixture('cash-change.xml');
    const [ncr, arts] = events.map(retail);
    expect(ncr?.tenders).toMatchObject([{ type: 'cash', amount: { minor: 2000 }, change: { minor: 262 } }]);
    expect(arts?.tenders).toMatchObject([{ type: 'cash', amount: { minor: 2700 }, change: { minor: 1 } }]);
    expect(ncr?.lines[0]).toMatchObject({
      quantity: '2.49',
      item: { sku: '00000000004011', description: 'BANANAS' },
    });
    expect(ncr?.total).toEqual(ncr?.stated.grand);
    expect(arts?.total).toEqual(arts?.stated.grand);
    expect(ncr?.key.sequence).toBe(arts?.key.sequence);
    expect(events[0]?.id).not.toBe(events[1]?.id);
  });

  it('card cash-back: the card carries the cash-back, a cash leg pays it out, legs net to the total', async () => {
    const { events } = await normalizeFixture('card-cashback.xml');
    const sale = retail(events[0]);
    expect(sale.tenders).toMatchObject([
      {
        type: 'card',
        amount: { minor: 8934 },
        cashback: { minor: 2000 },
        purpose: 'payment',
        card: { last4: '0119' },
      },
      { type: 'cash', amount: { minor: -2000 }, purpose: 'cashback' },
    ]);
    expect(sale.tenders[1]?.change).toBeUndefined();
    expect(sale.total).toEqual(sale.stated.grand);
    expect(sale.total.minor).toBe(6934);
  });

  it.each(FIXTURES)('%s: every retail total equals the document grand amount', async (name) => {
    const { events } = await normalizeFixture(name);
    for (const event of events) {
      if (event.type === 'control.recorded.v1') continue;
      const data = event.data as RetailTransaction;
      expect(data.stated.grand, `${name} ${data.key.sequence}`).toBeDefined();
      expect(data.total).toEqual(data.stated.grand);
    }
  });

  it('gives the same event ids however the document is cut into chunks', async () => {
    const text = await fixture('small-sale-loyalty.xml');
    const whole = await normalizeText(text);
    const bytewise: DocumentInput = {
      text: async () => text,
      async *chunks() {
        for (let i = 0; i < text.length; i += 7) yield text.slice(i, i + 7);
      },
    };
    const chunked = await normalizeAll(bytewise);
    expect(chunked.events).toEqual(whole.events);
    expect(chunked.events.map((e) => e.id)).toEqual(whole.events.map((e) => e.id));
  });
});
