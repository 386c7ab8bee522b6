import { z } from 'zod';
import { CatalogPrice, CatalogProduct, StockLevel } from './catalog.ts';
import { CustomerUpsert } from './customer.ts';

/** Most rows one import batch event carries: a connector takes a batch in one bulk call. */
export const IMPORT_BATCH_MAX_ROWS = 1000;

function importBatchOf<R extends z.ZodType>(row: R, what: string) {
  return z
    .object({
      importId: z.string().min(1).describe('The import job the rows came in (GET /v1/imports/{importId}).'),
      batch: z
        .number()
        .int()
        .min(1)
        .describe(
          'Position of this batch in its import, from 1; batches of one subject apply in this order.',
        ),
      rows: z.array(row).min(1).max(IMPORT_BATCH_MAX_ROWS),
    })
    .strict()
    .describe(`Up to ${IMPORT_BATCH_MAX_ROWS} ${what} from one ERP import, each row already validated.`);
}

/** A batch of catalog products pushed by the ERP. */
export const ProductsImported = importBatchOf(CatalogProduct, 'catalog products');
export type ProductsImported = z.infer<typeof ProductsImported>;

/** A batch of prices pushed by the ERP (rows of one store, or chain-wide price-list rows). */
export const PricesImported = importBatchOf(CatalogPrice, 'prices');
export type PricesImported = z.infer<typeof PricesImported>;

/** A batch of absolute stock levels pushed by the ERP (rows of one location). */
export const StockLevelsImported = importBatchOf(StockLevel, 'stock levels');
export type StockLevelsImported = z.infer<typeof StockLevelsImported>;

/** A batch of customer upserts pushed by the ERP or CRM. Personal data: never logged. */
export const CustomersImported = importBatchOf(CustomerUpsert, 'customer upserts').meta({
  personalData: true,
});
export type CustomersImported = z.infer<typeof CustomersImported>;
