import { jsonNormalizer } from '../json-normalizer.ts';
import { mapSale } from './map-sale.ts';
import { readSaleDocuments } from './read-sale-documents.ts';

// Keys are matched with an optional backslash before each quote: inside a webhook's `payload` string the
// sale's keys arrive escaped (\"register_sale_products\").
const key = (name: string) => new RegExp(`\\\\?"${name}\\\\?"\\s*:`);
const SALE_LISTS = [key('register_sale_products'), key('register_sale_payments')];
const REGISTER = key('register_id');
const SALE_BODY = [key('line_items'), key('totals'), key('payments')];
const SALE_MARKS = [key('short_code'), key('invoice_sequence'), key('receipt_number'), key('return_for')];

/** True when the head of a document is an X-Series sale: its distinctive sale keys, never another vendor's. */
export function looksLikeXSeriesSale(head: string): boolean {
  if (!/^\s*\{/.test(head)) return false;
  if (SALE_LISTS.some((re) => re.test(head))) return true;
  return (
    REGISTER.test(head) && SALE_BODY.some((re) => re.test(head)) && SALE_MARKS.some((re) => re.test(head))
  );
}

/**
 * Lightspeed Retail X-Series (Vend) sales: the `register_sale` object of sale webhooks (the JSON form of the
 * webhook body, or the sale alone) and Sales API 2.0 documents. Needs the retailer's currency (the sale names
 * none) and the outlet's time zone for the business day.
 */
export const lightspeedXNormalizer = jsonNormalizer({
  format: 'lightspeed-x',
  description: 'Lightspeed Retail X-Series (Vend) sales: sale webhooks and Sales API documents',
  detect: looksLikeXSeriesSale,
  *map(root, options) {
    const documents = readSaleDocuments(root);
    if (!documents.ok) {
      yield { ok: false, problems: documents.problems };
      return;
    }
    for (const { sale, at } of documents.sales) yield mapSale(sale, at, options);
  },
});
