import { z } from 'zod';
import { IsoDate, SourceId } from './common.ts';
import { Decimal } from './money/decimal.ts';
import { Money } from './money/money.ts';

/** GS1 check digit: weights 3 and 1 from the right, excluding the check digit itself. */
export function hasGs1CheckDigit(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += (digits.charCodeAt(i) - 48) * weight;
  }
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(digits.length - 1) - 48;
}

/** A GTIN (EAN-8, UPC-A, EAN-13, GTIN-14) as text, leading zeros kept, with a valid GS1 check digit. */
export const Gtin = z
  .string()
  .regex(/^(\d{8}|\d{12}|\d{13}|\d{14})$/, 'must be a GTIN of 8, 12, 13 or 14 digits')
  .refine(hasGs1CheckDigit, { message: 'has a wrong GS1 check digit' })
  .describe('GTIN-8/12/13/14 as digits, leading zeros kept.');
export type Gtin = z.infer<typeof Gtin>;

const DATE_TIME = z.iso.datetime({ offset: true });

function isEffectiveTime(text: string): boolean {
  if (text.length === 10) return IsoDate.safeParse(text).success;
  return DATE_TIME.safeParse(text).success;
}

/** A point from which (or until which) something applies: a date (the start of that day at the store) or an instant. */
export const EffectiveTime = z
  .string()
  .refine(isEffectiveTime, { message: 'must be a date (YYYY-MM-DD) or an RFC 3339 date-time with an offset' })
  .describe("YYYY-MM-DD (from the start of that day in the store's zone) or an RFC 3339 date-time.");
export type EffectiveTime = z.infer<typeof EffectiveTime>;

/** An item the ERP sells in the stores: the catalog master data a POS needs to ring it up. */
export const CatalogProduct = z
  .object({
    sku: SourceId.describe('The ERP article number: the item identity in every store.'),
    gtins: z.array(Gtin).max(50).default([]).describe('Barcodes that scan as this item.'),
    name: z.string().trim().min(1, 'must not be empty').max(500),
    description: z.string().max(10_000).optional(),
    category: SourceId.describe('Merchandise category (the ERP code).'),
    taxCode: SourceId.describe('Tax class the POS applies, as the ERP names it (e.g. "VAT_STANDARD").'),
    unitOfMeasure: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(20)
      .describe('Sales unit, e.g. "EA", "KGM" (UN/ECE Rec. 20).'),
    status: z.enum(['active', 'discontinued']).default('active'),
  })
  .strict();
export type CatalogProduct = z.infer<typeof CatalogProduct>;

function effectiveOrder(
  row: { effectiveFrom: string; effectiveTo?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (row.effectiveTo === undefined) return;
  const bothDates = row.effectiveFrom.length === 10 && row.effectiveTo.length === 10;
  const bothInstants = row.effectiveFrom.length > 10 && row.effectiveTo.length > 10;
  const before = bothDates
    ? row.effectiveFrom < row.effectiveTo
    : bothInstants
      ? Date.parse(row.effectiveFrom) < Date.parse(row.effectiveTo)
      : true;
  if (!before) {
    ctx.addIssue({ code: 'custom', path: ['effectiveTo'], message: 'must be after effectiveFrom' });
  }
}

/**
 * A selling price of one item, for one store or for a price list (chain-wide or a group of stores the ERP
 * manages). Exactly one of `storeId` and `priceListId`. `effectiveTo` is exclusive.
 */
export const CatalogPrice = z
  .object({
    sku: SourceId,
    storeId: SourceId.optional().describe('The store this price is for.'),
    priceListId: SourceId.optional().describe('The price list this price belongs to (not store-specific).'),
    amount: Money.describe('Unit selling price, tax as the store prices it.'),
    effectiveFrom: EffectiveTime,
    effectiveTo: EffectiveTime.optional().describe('Exclusive end; open-ended when absent.'),
  })
  .strict()
  .superRefine((row, ctx) => {
    if ((row.storeId === undefined) === (row.priceListId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: row.storeId === undefined ? ['storeId'] : ['priceListId'],
        message: 'a price has exactly one of storeId and priceListId',
      });
    }
    effectiveOrder(row, ctx);
  });
export type CatalogPrice = z.infer<typeof CatalogPrice>;

/**
 * The absolute on-hand quantity of one item at one location as of an instant, as the ERP's stock ledger has
 * it. Unlike an InventoryCount (one location's count document with many lines), each level stands alone.
 */
export const StockLevel = z
  .object({
    sku: SourceId,
    locationId: SourceId.describe('The store or warehouse.'),
    onHand: Decimal.describe('Absolute quantity on hand (may be negative when the ERP allows oversell).'),
    unitOfMeasure: z.string().trim().min(1).max(20).optional(),
    asOf: z.iso.datetime({ offset: true }).describe('When the ERP took this level (RFC 3339).'),
  })
  .strict();
export type StockLevel = z.infer<typeof StockLevel>;
