import type { Problem } from '@poshub/model';
import { asText, isObject, parseVendorJson, type VendorJson } from '../vendor-json.ts';

/** The sales found in a document, each with the JSON pointer it sits at. */
export type SaleDocuments =
  | { ok: true; sales: Array<{ sale: VendorJson; at: string }> }
  | { ok: false; problems: Problem[] };

/**
 * Finds the sales in what Lightspeed sends: a webhook body as JSON (`payload` holds the sale as JSON text;
 * pointers then continue inside that text, e.g. "/payload/register_sale_products/0"), a bare sale, a 2.0
 * API response (`data`, one sale or a list) or an API 0.9 list (`register_sales`).
 */
export function readSaleDocuments(root: VendorJson): SaleDocuments {
  if (isObject(root) && root.payload !== undefined) {
    const type = asText(root.type);
    if (type && !type.startsWith('sale.')) {
      return refuse('lightspeed-x.not_a_sale', '/type', `a "${type}" webhook carries no sale`);
    }
    if (typeof root.payload === 'string') {
      const inner = parseVendorJson(root.payload);
      if (!inner.ok)
        return refuse('json.invalid', '/payload', `the payload is not valid JSON: ${inner.message}`);
      return unwrap(inner.value, '/payload');
    }
    return unwrap(root.payload, '/payload');
  }
  return unwrap(root, '');
}

function unwrap(value: VendorJson, at: string): SaleDocuments {
  const found = salesIn(value, at);
  if (found.ok && found.sales.length === 0) return refuse('document.shape', at, 'the document lists no sale');
  return found;
}

function salesIn(value: VendorJson, at: string): SaleDocuments {
  if (isObject(value) && Array.isArray(value.register_sales)) {
    return {
      ok: true,
      sales: value.register_sales.map((sale, i) => ({ sale, at: `${at}/register_sales/${i}` })),
    };
  }
  if (isObject(value) && Array.isArray(value.data)) {
    return { ok: true, sales: value.data.map((sale, i) => ({ sale, at: `${at}/data/${i}` })) };
  }
  if (isObject(value) && isObject(value.data))
    return { ok: true, sales: [{ sale: value.data, at: `${at}/data` }] };
  if (isObject(value)) return { ok: true, sales: [{ sale: value, at }] };
  return refuse('document.shape', at, 'expected a Lightspeed X-Series sale (a JSON object)');
}

function refuse(code: string, pointer: string, message: string): SaleDocuments {
  return { ok: false, problems: [{ code, pointer, message, severity: 'error' }] };
}
