import type { CardDetails, ExternalId, Tender } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import { asBool, asText, isObject, type VendorJson } from '../vendor-json.ts';
import { rTenderType } from './payment-type.ts';

/** Reads one SalePayment as a tender; undefined when it is archived, declined or cannot be read. */
export function mapRSalePayment(
  ctx: MapContext,
  payment: VendorJson | undefined,
  at: string,
  currency: string,
): Tender | undefined {
  if (!isObject(payment)) return ctx.error('document.shape', at, 'a SalePayment must be an object');
  if (asBool(payment.archived) === true) {
    ctx.warn('lightspeed-r.payment_archived', `${at}/archived`, 'an archived (removed) payment is left out');
    return undefined;
  }
  const charge = isObject(payment.CCCharge) ? payment.CCCharge : undefined;
  if (asBool(charge?.declined) === true) {
    ctx.warn(
      'lightspeed-r.payment_declined',
      `${at}/CCCharge/declined`,
      'a declined card charge is left out',
    );
    return undefined;
  }
  const amount = ctx.money(asText(payment.amount), currency, `${at}/amount`);
  if (!amount) return undefined;
  const paymentType = isObject(payment.PaymentType) ? payment.PaymentType : undefined;
  const typeName = asText(paymentType?.name);
  const type = rTenderType(asText(paymentType?.type), typeName);

  const ids: ExternalId[] = [];
  for (const key of ['salePaymentID', 'paymentID', 'remoteReference', 'refPaymentID', 'ccChargeID']) {
    const value = asText(payment[key]);
    if (value && value !== '0') ids.push({ scheme: `lightspeed-r.${key}`, value });
  }
  const tender: Tender = {
    type,
    amount,
    purpose: amount.minor < 0 ? 'refund' : 'payment',
    status: 'approved',
    ids,
  };
  const sourceType = typeName ?? asText(paymentType?.type);
  if (sourceType) tender.sourceType = sourceType;
  const card = charge ? cardDetails(charge) : undefined;
  if (card) tender.card = card;
  return tender;
}

// Only the brand and the last four digits of the masked number (xnum) are kept.
function cardDetails(charge: { [key: string]: VendorJson }): CardDetails | undefined {
  const card: CardDetails = {};
  const last4 = /(\d{4})\s*$/.exec(asText(charge.xnum) ?? '')?.[1];
  if (last4) card.last4 = last4;
  const brand = asText(charge.cardType);
  if (brand) card.brand = brand.toLowerCase();
  const auth = asText(charge.authCode);
  if (auth) card.authorizationCode = auth;
  const entry = asText(charge.entryMethod);
  if (entry) card.entryMethod = entry;
  if (asBool(charge.isDebit) === true) card.funding = 'debit';
  const gateway = asText(charge.gatewayTransID);
  if (gateway) card.pspReference = gateway;
  return Object.keys(card).length > 0 ? card : undefined;
}
