import { type BigValue, type ExternalId, parseDecimal, type Tender } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import { asText, isObject, parseVendorJson, type VendorJson } from '../vendor-json.ts';
import { tenderTypeOf } from './tender-type.ts';

/** A payment of a sale as a tender, with the cash rounding step its payment type is configured with. */
export interface SalePaymentDraft {
  tender: Tender;
  /** Smallest coin a cash payment is rounded to ("0.10"), from the payment type's configuration. */
  cashRounding?: BigValue | undefined;
}

/** Reads one payment (`register_sale_payments` or 2.0 `payments` entry); undefined when it is skipped or bad. */
export function mapSalePayment(
  ctx: MapContext,
  payment: VendorJson | undefined,
  at: string,
  currency: string,
): SalePaymentDraft | undefined {
  if (!isObject(payment)) return ctx.error('document.shape', at, 'a payment must be an object');
  if (payment.deleted_at !== undefined && payment.deleted_at !== null) {
    ctx.warn('lightspeed-x.payment_deleted', `${at}/deleted_at`, 'a deleted payment is left out');
    return undefined;
  }
  const amount = ctx.money(payment.amount, currency, `${at}/amount`);
  const baseType = isObject(payment.payment_type) ? payment.payment_type : undefined;
  const retailerType = isObject(payment.retailer_payment_type) ? payment.retailer_payment_type : undefined;
  const typeId =
    asText(payment.payment_type_id) ?? asText(baseType?.id) ?? asText(retailerType?.payment_type_id);
  const sourceName =
    asText(retailerType?.name) ?? asText(payment.name) ?? asText(payment.label) ?? asText(baseType?.name);
  const type = tenderTypeOf(typeId, [
    asText(baseType?.name),
    asText(payment.name),
    asText(payment.label),
    asText(retailerType?.name),
  ]);
  if (!amount) return undefined;

  const ids: ExternalId[] = [];
  const id = asText(payment.id);
  if (id) ids.push({ scheme: 'lightspeed-x.payment', value: id });
  const retailerTypeId = asText(payment.retailer_payment_type_id) ?? asText(retailerType?.id);
  if (retailerTypeId) ids.push({ scheme: 'lightspeed-x.retailer_payment_type', value: retailerTypeId });

  const tender: Tender = {
    type,
    amount,
    purpose: amount.minor < 0 ? 'refund' : 'payment',
    status: 'approved',
    ids,
  };
  if (sourceName) tender.sourceType = sourceName;
  return { tender, cashRounding: type === 'cash' ? roundingStep(retailerType?.config) : undefined };
}

// A cash payment type carries its rounding as JSON text: {"rounding":"0.10","algorithm":"round-mid-down"}.
function roundingStep(config: VendorJson | undefined): BigValue | undefined {
  const parsed = typeof config === 'string' ? parseVendorJson(config) : undefined;
  const value = parsed?.ok ? parsed.value : config;
  if (!isObject(value)) return undefined;
  const step = parseDecimal(asText(value.rounding) ?? '');
  return step?.gt('0') ? step : undefined;
}
