import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type PaymentRecord, RetailTransaction } from '@poshub/model';
import { checkTransaction } from '@poshub/rules';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize-document.ts';
import { enrichTender } from './enrich-tender.ts';

const fixture = (name: string) =>
  readFile(join(import.meta.dirname, '..', '..', 'fixtures', 'adyen', name), 'utf8');
const eur = (minor: number) => ({ minor, currency: 'EUR', exponent: 2 });

async function payment(name: string): Promise<PaymentRecord> {
  const result = await normalizeText(await fixture(name), { storeId: 'store-1' });
  if (result.events.length !== 1) throw new Error(JSON.stringify(result.problems));
  return result.events[0]!.data as PaymentRecord;
}

/** A till's sale of 12.00 EUR: 11.00 in cash and 1.00 on a card the till knows nothing about. */
function sale(overrides: Partial<RetailTransaction> = {}): RetailTransaction {
  return RetailTransaction.parse({
    kind: 'sale',
    key: { storeId: 'store-1', workstationId: 'POS-1', businessDay: '2019-04-29', sequence: '001' },
    currency: 'EUR',
    occurredAt: {
      raw: '2019-04-29T09:19:40Z',
      utc: '2019-04-29T09:19:40.000Z',
      offset: '+00:00',
      source: 'explicit',
    },
    receiptNumber: 'R-001',
    lines: [
      {
        lineNumber: '1',
        direction: 'sale',
        item: { description: 'Coffee beans' },
        quantity: '1',
        extendedAmount: eur(1200),
      },
    ],
    tenders: [
      { type: 'cash', amount: eur(1100) },
      { type: 'card', amount: eur(100), sourceType: 'EFT' },
    ],
    total: eur(1200),
    source: { system: 'till', format: 'test' },
    ...overrides,
  });
}

describe('enrichTender', () => {
  it("attaches the card details and PSP reference to the till's card tender, changing neither input", async () => {
    const paid = await payment('terminal-api_payment-sync-success.json');
    const till = sale();
    const before = structuredClone(till);
    const result = enrichTender(till, paid);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.tenders[1]).toMatchObject({
      type: 'card',
      amount: eur(100),
      sourceType: 'EFT',
      card: {
        brand: 'mastercard',
        last4: '1111',
        authorizationCode: '123456',
        pspReference: '8515565295894301',
      },
    });
    expect(result.value.tenders[1]!.ids).toEqual(
      expect.arrayContaining([
        { scheme: 'adyen.payment', value: '8515565295894301' },
        { scheme: 'adyen.pspReference', value: '8515565295894301' },
      ]),
    );
    expect(result.value.tenders[0]).toEqual(till.tenders[0]);
    expect(till).toEqual(before);
    expect(RetailTransaction.safeParse(result.value).success).toBe(true);
    expect(checkTransaction(result.value)).toEqual([]);
  });

  it('is idempotent: the same payment again finds its tender by the PSP reference', async () => {
    const paid = await payment('terminal-api_payment-sync-success.json');
    const once = enrichTender(sale(), paid);
    if (!once.ok) throw new Error('first enrichment failed');
    const twice = enrichTender(once.value, paid);
    expect(twice).toEqual(once);
  });

  it('gives split card tenders of the same amount their payments in order', async () => {
    const first = await payment('terminal-api_payment-sync-success.json');
    const second: PaymentRecord = structuredClone(first);
    second.paymentId = 'PSP-SECOND';
    second.tender.card = { ...second.tender.card, last4: '9876', pspReference: 'PSP-SECOND' };
    second.tender.ids = [{ scheme: 'adyen.pspReference', value: 'PSP-SECOND' }];
    const till = sale({
      lines: [
        {
          lineNumber: '1',
          direction: 'sale',
          voided: false,
          item: { ids: [] },
          quantity: '1',
          extendedAmount: eur(200),
          discounts: [],
          taxes: [],
        },
      ],
      tenders: [
        { type: 'card', amount: eur(100), purpose: 'payment', status: 'approved', ids: [] },
        { type: 'card', amount: eur(100), purpose: 'payment', status: 'approved', ids: [] },
      ],
      total: eur(200),
    });
    const one = enrichTender(till, first);
    if (!one.ok) throw new Error('first split failed');
    const two = enrichTender(one.value, second);
    if (!two.ok) throw new Error('second split failed');
    expect(two.value.tenders.map((t) => t.card?.last4)).toEqual(['1111', '9876']);
    const three = enrichTender(two.value, {
      ...second,
      paymentId: 'PSP-THIRD',
      tender: { ...second.tender, card: { pspReference: 'PSP-THIRD' }, ids: [] },
    });
    expect(three).toMatchObject({ ok: false, problems: [{ code: 'enrich.no_matching_tender' }] });
  });

  it('matches a refund to the negative card tender of a return', async () => {
    const refund = await payment('terminal-api_refund-unreferenced.json');
    const ret = sale({
      kind: 'return',
      key: {
        storeId: 'store-1',
        workstationId: 'POS-1',
        businessDay: '2024-04-12',
        sequence: 'RM07-4488',
        businessDaySource: 'source',
      },
      receiptNumber: 'RM07-4488',
      lines: [
        {
          lineNumber: '1',
          direction: 'return',
          voided: false,
          item: { ids: [] },
          quantity: '-1',
          extendedAmount: eur(-3550),
          discounts: [],
          taxes: [],
        },
      ],
      tenders: [{ type: 'card', amount: eur(-3550), purpose: 'refund', status: 'approved', ids: [] }],
      total: eur(-3550),
    });
    const result = enrichTender(ret, refund);
    expect(result).toMatchObject({
      ok: true,
      value: { tenders: [{ card: { last4: '4444', funding: 'debit' } }] },
    });
  });

  it('refuses, as data, a payment for another sale, another amount, a declined one or another currency', async () => {
    const paid = await payment('terminal-api_payment-sync-success.json');
    expect(
      enrichTender(
        sale({
          receiptNumber: 'R-777',
          key: {
            storeId: 's',
            workstationId: 'w',
            businessDay: '2019-04-29',
            sequence: '777',
            businessDaySource: 'source',
          },
        }),
        paid,
      ),
    ).toMatchObject({
      ok: false,
      problems: [{ code: 'enrich.reference_mismatch', severity: 'error' }],
    });
    const noCard = sale({
      tenders: [{ type: 'cash', amount: eur(1200), purpose: 'payment', status: 'approved', ids: [] }],
    });
    expect(enrichTender(noCard, paid)).toMatchObject({
      ok: false,
      problems: [{ code: 'enrich.no_matching_tender', pointer: '/tenders' }],
    });
    const declined = await payment('terminal-api_payment-declined.json');
    expect(enrichTender(sale(), declined)).toMatchObject({
      ok: false,
      problems: [{ code: 'enrich.payment_declined' }],
    });
    const inDollars = {
      ...paid,
      tender: { ...paid.tender, amount: { ...paid.tender.amount, currency: 'USD' } },
    };
    expect(enrichTender(sale(), inDollars)).toMatchObject({
      ok: false,
      problems: [{ code: 'enrich.currency_mismatch' }],
    });
  });

  it('refuses a payment whose card is not the one the till recorded', async () => {
    const paid = await payment('terminal-api_payment-sync-success.json');
    const till = sale();
    till.tenders[1]!.card = { last4: '4242', brand: 'visa' };
    expect(enrichTender(till, paid)).toMatchObject({
      ok: false,
      problems: [{ code: 'enrich.card_mismatch', pointer: '/tenders/1/card' }],
    });
    till.tenders[1]!.card = { last4: '1111', brand: 'visa' };
    const kept = enrichTender(till, paid);
    expect(kept).toMatchObject({
      ok: true,
      value: { tenders: [{}, { card: { brand: 'visa', last4: '1111', pspReference: '8515565295894301' } }] },
      warnings: [{ code: 'enrich.card_brand_differs' }],
    });
  });
});
