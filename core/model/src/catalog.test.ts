import { describe, expect, it } from 'vitest';
import { CatalogPrice, CatalogProduct, Gtin, hasGs1CheckDigit, StockLevel } from './catalog.ts';
import { CanonicalEvent, EVENT_TYPES, makeEvent } from './events.ts';
import { IMPORT_BATCH_MAX_ROWS, PricesImported } from './import-batch.ts';

const eur = (minor: number) => ({ minor, currency: 'EUR', exponent: 2 });

describe('catalog model', () => {
  it('checks GTINs by length and GS1 check digit, keeping leading zeros', () => {
    expect(hasGs1CheckDigit('4006381333931')).toBe(true);
    expect(Gtin.parse('00000000067591')).toBe('00000000067591');
    expect(Gtin.parse('96385074')).toBe('96385074');
    expect(Gtin.safeParse('4006381333932').success).toBe(false);
    expect(Gtin.safeParse('40063813339').success).toBe(false);
  });

  it('a product defaults to active with no barcode; unknown fields are refused', () => {
    const product = {
      sku: '000123',
      name: 'Pen',
      category: 'W',
      taxCode: 'VAT_STANDARD',
      unitOfMeasure: 'EA',
    };
    expect(CatalogProduct.parse(product)).toEqual({ ...product, gtins: [], status: 'active' });
    expect(CatalogProduct.safeParse({ ...product, colour: 'red' }).success).toBe(false);
    expect(CatalogProduct.safeParse({ ...product, status: 'deleted' }).success).toBe(false);
  });

  it('a price is for exactly one of a store and a price list, in exact money, with an ordered validity', () => {
    const base = { sku: 'A', amount: eur(1299), effectiveFrom: '2026-04-01' };
    expect(CatalogPrice.safeParse({ ...base, storeId: '0042' }).success).toBe(true);
    expect(CatalogPrice.safeParse({ ...base, priceListId: 'PL', effectiveTo: '2026-05-01' }).success).toBe(
      true,
    );
    expect(CatalogPrice.safeParse(base).error?.issues[0]?.path).toEqual(['storeId']);
    expect(
      CatalogPrice.safeParse({ ...base, storeId: '1', priceListId: 'PL' }).error?.issues[0]?.path,
    ).toEqual(['priceListId']);
    expect(
      CatalogPrice.safeParse({ ...base, storeId: '1', effectiveTo: '2026-03-31' }).error?.issues[0]?.path,
    ).toEqual(['effectiveTo']);
    expect(
      CatalogPrice.safeParse({
        ...base,
        storeId: '1',
        effectiveFrom: '2026-04-01T10:00:00+02:00',
        effectiveTo: '2026-04-01T09:00:00Z',
      }).success,
    ).toBe(true);
    expect(
      CatalogPrice.safeParse({ ...base, storeId: '1', amount: { minor: 12.5, currency: 'EUR', exponent: 2 } })
        .success,
    ).toBe(false);
    expect(CatalogPrice.safeParse({ ...base, storeId: '1', effectiveFrom: '1 April' }).success).toBe(false);
  });

  it('a stock level is an absolute decimal quantity at one location as of an instant', () => {
    const level = { sku: 'A', locationId: '0042', onHand: '-2.500', asOf: '2026-04-01T06:00:00+02:00' };
    expect(StockLevel.parse(level)).toEqual(level);
    expect(StockLevel.safeParse({ ...level, onHand: 3 }).success).toBe(false);
    expect(StockLevel.safeParse({ ...level, asOf: '2026-04-01' }).success).toBe(false);
  });

  it('import batches are canonical events of up to 1,000 rows', () => {
    expect(EVENT_TYPES).toEqual(
      expect.arrayContaining([
        'catalog.products.imported.v1',
        'catalog.prices.imported.v1',
        'inventory.levels.imported.v1',
        'customers.imported.v1',
      ]),
    );
    const row = { sku: 'A', storeId: '0042', amount: eur(100), effectiveFrom: '2026-04-01' };
    const event = makeEvent(
      'catalog.prices.imported.v1',
      { importId: 'job-1', batch: 1, rows: [row] },
      { source: '/imports/job-1', subject: '0042', identity: 'job-1/1' },
    );
    expect(CanonicalEvent.safeParse(event).success).toBe(true);
    const tooMany = {
      importId: 'j',
      batch: 1,
      rows: Array.from({ length: IMPORT_BATCH_MAX_ROWS + 1 }, () => row),
    };
    expect(PricesImported.safeParse(tooMany).success).toBe(false);
    expect(PricesImported.safeParse({ importId: 'j', batch: 0, rows: [row] }).success).toBe(false);
  });
});
