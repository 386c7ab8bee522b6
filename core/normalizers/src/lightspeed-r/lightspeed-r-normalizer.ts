import type { DocumentInput, NormalizedCandidate, NormalizeOptions, Normalizer } from '../normalizer.ts';
import { parseVendorJson } from '../vendor-json.ts';
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
export const lightspeedRNormalizer: Normalizer = {
  format: 'lightspeed-r',
  description: 'Lightspeed Retail R-Series sales (API v3 Sale with SaleLines and SalePayments)',
  detect: looksLikeRSeriesSale,
  async *normalize(input: DocumentInput, options: NormalizeOptions): AsyncIterable<NormalizedCandidate> {
    const parsed = parseVendorJson(await input.text());
    if (!parsed.ok) {
      yield {
        ok: false,
        problems: [
          {
            code: 'json.invalid',
            pointer: '',
            message: `not valid JSON: ${parsed.message}`,
            severity: 'error',
          },
        ],
      };
      return;
    }
    const documents = readRSaleDocuments(parsed.value);
    if (!documents.ok) {
      yield { ok: false, problems: documents.problems };
      return;
    }
    for (const { sale, at } of documents.sales) yield mapRSale(sale, at, options);
  },
};
