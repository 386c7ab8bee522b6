import type { Problem } from '@poshub/model';
import { asArray, isObject, type VendorJson } from '../vendor-json.ts';

/** The sales found in an R-Series API document, each with the JSON pointer it sits at. */
export type RSaleDocuments =
  | { ok: true; sales: Array<{ sale: VendorJson; at: string }> }
  | { ok: false; problems: Problem[] };

/**
 * Finds the sales in an R-Series API response: `Sale` (one object, or an array when there are several) under
 * the `@attributes` envelope, or a bare Sale. A list of SaleLines or SalePayments on its own is not a sale.
 */
export function readRSaleDocuments(root: VendorJson): RSaleDocuments {
  if (!isObject(root)) return refuse('document.shape', '', 'expected an R-Series Sale (a JSON object)');
  if (root.Sale !== undefined) {
    const sales = Array.isArray(root.Sale) ? root.Sale : [root.Sale];
    const at = (i: number) => (Array.isArray(root.Sale) ? `/Sale/${i}` : '/Sale');
    if (sales.length === 0) return refuse('document.shape', '/Sale', 'the document lists no Sale');
    return { ok: true, sales: sales.map((sale, i) => ({ sale, at: at(i) })) };
  }
  if (root.saleID !== undefined) return { ok: true, sales: [{ sale: root, at: '' }] };
  if (root.SaleLine !== undefined) {
    const count = asArray(root.SaleLine).length;
    const saleIds = [
      ...new Set(asArray(root.SaleLine).map((l) => (isObject(l) ? l.saleID : undefined))),
    ].filter((id) => typeof id === 'string');
    return refuse(
      'lightspeed-r.sale_lines_only',
      '/SaleLine',
      `${count} SaleLine(s)${saleIds.length > 0 ? ` of sale ${saleIds.join(', ')}` : ''} without their Sale: lines alone carry no register, payments or completion, so they are not a transaction; send the Sale read with load_relations=["SaleLines","SalePayments"]`,
    );
  }
  if (root.SalePayment !== undefined) {
    return refuse(
      'lightspeed-r.sale_payments_only',
      '/SalePayment',
      'SalePayments without their Sale are not a transaction: send the Sale with its SaleLines and SalePayments',
    );
  }
  return refuse('document.shape', '', 'expected an R-Series Sale: no Sale, saleID or SaleLine found');
}

function refuse(code: string, pointer: string, message: string): RSaleDocuments {
  return { ok: false, problems: [{ code, pointer, message, severity: 'error' }] };
}
