import { describe, expect, it } from 'vitest';
import type { CardScan } from './card-scan.ts';
import { checkRow, type RowRules } from './check-row.ts';
import { IMPORT_KINDS } from './import-kinds.ts';
import type { ImportType } from './import-tables.ts';

// Card detection is covered through the ingest API with @poshub/rules; here no row holds one.
const NO_CARDS: CardScan = {
  inValue: () => [],
  inText: () => false,
  parseForScan: (text) => JSON.parse(text),
};

const rules = (type: ImportType, stores?: string[]): RowRules => ({
  kind: IMPORT_KINDS[type],
  cards: NO_CARDS,
  stores: stores ? new Set(stores) : undefined,
  source: { system: 'erp-sync', format: 'poshub-import/csv' },
});
const csv = (type: ImportType, record: Record<string, string>, stores?: string[]) =>
  checkRow(rules(type, stores), { format: 'csv', record });
const ndjson = (type: ImportType, value: Record<string, unknown>) =>
  checkRow(rules(type), { format: 'ndjson', value, text: JSON.stringify(value) });

describe('checkRow', () => {
  it('maps CSV cells to canonical rows: exact money, decimal text, barcode lists, addresses and consent', () => {
    expect(
      csv('price', {
        sku: 'A',
        storeId: '0042',
        amount: '12.99',
        currency: 'EUR',
        effectiveFrom: '2026-04-01',
      }),
    ).toEqual({
      ok: true,
      subject: '0042',
      row: {
        sku: 'A',
        storeId: '0042',
        amount: { minor: 1299, currency: 'EUR', exponent: 2 },
        effectiveFrom: '2026-04-01',
      },
    });
    expect(
      csv('price', {
        sku: 'A',
        priceListId: 'PL',
        amount: '1500',
        currency: 'JPY',
        effectiveFrom: '2026-04-01',
      }),
    ).toMatchObject({
      ok: true,
      subject: '*',
      row: { amount: { minor: 1500, currency: 'JPY', exponent: 0 } },
    });
    expect(
      csv('stock', { sku: 'A', locationId: '0042', onHand: '+3.50', asOf: '2026-04-01T06:00:00+02:00' }),
    ).toMatchObject({
      ok: true,
      subject: '0042',
      row: { onHand: '3.50' },
    });
    expect(
      csv('product', {
        sku: 'A',
        gtins: '4006381333924|5012345678900',
        name: 'Pen',
        category: 'W',
        taxCode: 'S',
        unitOfMeasure: 'EA',
      }),
    ).toMatchObject({
      ok: true,
      subject: '*',
      row: { gtins: ['4006381333924', '5012345678900'], status: 'active' },
    });
    expect(
      csv('customer', {
        customerId: 'C1',
        marketingConsent: 'yes',
        addressLines: 'Hauptstr. 1|2. OG',
        city: 'Köln',
        country: 'DE',
      }),
    ).toMatchObject({
      ok: true,
      row: {
        customerId: 'C1',
        marketingConsent: true,
        addresses: [{ lines: ['Hauptstr. 1', '2. OG'], city: 'Köln', country: 'DE', default: true }],
        source: { system: 'erp-sync', format: 'poshub-import/csv' },
      },
    });
  });

  it('points CSV problems at the column, NDJSON problems into the object', () => {
    const pointers = (r: ReturnType<typeof checkRow>) =>
      r.ok ? [] : r.problems.map((p) => [p.code, p.pointer]);
    expect(
      pointers(
        csv('price', {
          sku: 'A',
          storeId: '1',
          amount: '1.999',
          currency: 'EUR',
          effectiveFrom: '2026-04-01',
        }),
      ),
    ).toEqual([['money.sub_minor', '/amount']]);
    expect(pointers(csv('customer', { customerId: 'C', country: 'Germany' }))).toEqual([
      ['schema.invalid_format', '/country'],
    ]);
    expect(pointers(csv('customer', { customerId: 'C', marketingConsent: 'maybe' }))).toEqual([
      ['csv.not_a_boolean', '/marketingConsent'],
    ]);
    expect(
      pointers(
        csv('product', {
          sku: 'A',
          gtins: '123',
          name: 'n',
          category: 'c',
          taxCode: 't',
          unitOfMeasure: 'EA',
        }),
      ),
    ).toEqual([['schema.invalid_format', '/gtins']]);
    expect(
      pointers(
        ndjson('price', {
          sku: 'A',
          storeId: '1',
          amount: { minor: 1, currency: 'JPY', exponent: 2 },
          effectiveFrom: '2026-04-01',
        }),
      ),
    ).toEqual([['schema.custom', '/amount/exponent']]);
    expect(pointers(ndjson('stock', { sku: 'A', locationId: '1', onHand: 3, asOf: '2026-04-01' }))).toEqual([
      ['schema.invalid_type', '/onHand'],
      ['schema.invalid_format', '/asOf'],
    ]);
  });

  it('refuses rows for stores the client may not write for', () => {
    const price = { sku: 'A', amount: '1.00', currency: 'EUR', effectiveFrom: '2026-04-01' };
    expect(csv('price', { ...price, storeId: '0042' }, ['0042'])).toMatchObject({ ok: true });
    expect(csv('price', { ...price, storeId: '0099' }, ['0042'])).toMatchObject({
      ok: false,
      problems: [{ code: 'store.forbidden', pointer: '/storeId' }],
    });
    expect(csv('price', { ...price, priceListId: 'PL' }, ['0042'])).toMatchObject({
      ok: false,
      problems: [{ code: 'store.forbidden', pointer: '' }],
    });
  });
});
