import { asText, isObject, type VendorJson } from '../vendor-json.ts';

/**
 * Where a sale stands: `completed` and `on_account` move money and stock, `parked` and `pending` do not yet,
 * `voided` reverses the sale. Lightspeed's sale statuses and their 2.0 `state` + `attributes` equivalents.
 */
export interface SaleStatus {
  status: string;
  phase: 'completed' | 'on_account' | 'parked' | 'pending' | 'voided' | 'unknown';
}

const COMPLETED = new Set([
  'CLOSED',
  'LAYBY_CLOSED',
  'ONACCOUNT_CLOSED',
  'ON_ACCOUNT_CLOSED',
  'DISPATCHED_CLOSED',
  'PICKED_UP_CLOSED',
  'SERVICE_CLOSED',
]);
// Goods stay in the store (layby, awaiting dispatch or pickup, service) or the basket is still open.
const PENDING = new Set(['LAYBY', 'AWAITING_DISPATCH', 'AWAITING_PICKUP', 'SERVICE', 'OPEN']);

/** Classifies a sale by its legacy `status`, or by `state` and `attributes` when only those are given. */
export function saleStatus(sale: { [key: string]: VendorJson }): SaleStatus {
  const status = asText(sale.status)?.trim().toUpperCase();
  if (status) {
    if (COMPLETED.has(status)) return { status, phase: 'completed' };
    if (status === 'ONACCOUNT' || status === 'ON_ACCOUNT') return { status, phase: 'on_account' };
    if (status === 'SAVED') return { status, phase: 'parked' };
    if (status === 'VOIDED') return { status, phase: 'voided' };
    if (PENDING.has(status)) return { status, phase: 'pending' };
    return { status, phase: 'unknown' };
  }
  const state = asText(sale.state)?.trim().toLowerCase();
  const attributes = Array.isArray(sale.attributes)
    ? sale.attributes.map((a) => (isObject(a) ? asText(a.name) : asText(a))?.toLowerCase())
    : [];
  if (state === 'closed') return { status: state, phase: 'completed' };
  if (state === 'parked') return { status: state, phase: 'parked' };
  if (state === 'voided') return { status: state, phase: 'voided' };
  if (state === 'pending') {
    return { status: state, phase: attributes.includes('onaccount') ? 'on_account' : 'pending' };
  }
  return { status: status ?? state ?? '', phase: 'unknown' };
}
