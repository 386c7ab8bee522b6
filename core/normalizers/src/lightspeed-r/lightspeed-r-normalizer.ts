import { jsonNormalizer } from '../json-normalizer.ts';
import { mapRSale } from './map-sale.ts';
import { readRSaleDocuments } from './read-sale-documents.ts';

const SALE_ID = /"saleID"\s*:/;
const SALE_PARTS = /"(SaleLines|SalePayments|ticketNumber|calcTotal)"\s*:/;
const SALE_LINE = /"saleLineID"\s*:\s*"/;

/** True when the head of a document is an R-Series Sale (or a SaleLine list): its camelCase sale keys. */
export function looksLikeRSeriesSale(head: string): boolean {
  if (!/^\s*\{/.test(head)) return false;
  return (SALE_ID.test(head) && SALE_PARTS.test(head)) || SALE_LINE.test(head);
}

/**
 * Lightspeed Retail R-Series sales as the API returns them (JSON of API v3, `Sale` with `SaleLines` and
 * `SalePayments`). Needs the account's currency (the Sale names none); the business day comes from the
 * Shop's time zone when the Shop relation is loaded.
 */
export const lightspeedRNormalizer = jsonNormalizer({
  format: 'lightspeed-r',
  description: 'Lightspeed Retail R-Series sales (API v3 Sale with SaleLines and SalePayments)',
  detect: looksLikeRSeriesSale,
  *map(root, options) {
    const documents = readRSaleDocuments(root);
    if (!documents.ok) {
      yield { ok: false, problems: documents.problems };
      return;
    }
    for (const { sale, at } of documents.sales) yield mapRSale(sale, at, options);
  },
});
