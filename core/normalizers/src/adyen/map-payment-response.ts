import {
  type CardDetails,
  type ExternalId,
  type Money,
  makeEvent,
  type PaymentRecord,
  type Problem,
  type Tender,
} from '@poshub/model';
import { cardNumberProblem, cardNumbersIn } from '@poshub/rules';
import { MapContext } from '../map-context.ts';
import type { NormalizedCandidate, NormalizeOptions } from '../normalizer.ts';
import { eventTime } from '../timestamp.ts';
import { asArray, asText, isObject, type VendorJson } from '../vendor-json.ts';
import { cardBrandName } from './card-brand.ts';
import { parseAdditionalResponse } from './parse-additional-response.ts';

type Json = { [key: string]: VendorJson };
const BASE = '/SaleToPOIResponse/PaymentResponse';

/**
 * Maps a Terminal API `SaleToPOIResponse` holding a `PaymentResponse` (a payment, or an unreferenced refund
 * when `PaymentResult.PaymentType` is Refund) to a `payment.recorded.v1` event, approved or declined.
 */
export function mapPaymentResponse(root: VendorJson, options: NormalizeOptions): NormalizedCandidate {
  const envelope = isObject(root) && isObject(root.SaleToPOIResponse) ? root.SaleToPOIResponse : undefined;
  if (!envelope) return refuse('document.shape', '/SaleToPOIResponse', 'expected a SaleToPOIResponse object');
  const response = isObject(envelope.PaymentResponse) ? envelope.PaymentResponse : undefined;
  if (!response) {
    const other = Object.keys(envelope).find((k) => k.endsWith('Response'));
    return other
      ? refuse(
          'adyen.unsupported_message',
          `/SaleToPOIResponse/${other}`,
          `a ${other} is not a payment: only PaymentResponse is read (a referenced refund is confirmed by Adyen's REFUND webhook)`,
        )
      : refuse('field.missing', `${BASE}`, 'the response holds no PaymentResponse');
  }
  const ctx = new MapContext({ zone: options.timeZone });
  const header = isObject(envelope.MessageHeader) ? envelope.MessageHeader : {};
  const result = obj(response.Response);
  const outcome = asText(result.Result);
  if (outcome !== 'Success' && outcome !== 'Partial' && outcome !== 'Failure') {
    ctx.error(
      'adyen.result_unknown',
      `${BASE}/Response/Result`,
      `Result "${outcome ?? ''}" is not Success, Partial or Failure`,
    );
  }
  const additionalText = asText(result.AdditionalResponse) ?? '';
  const additional = parseAdditionalResponse(additionalText);
  if (!additional) {
    ctx.warn(
      'adyen.additional_response',
      `${BASE}/Response/AdditionalResponse`,
      'AdditionalResponse is neither form-encoded nor Base64 JSON; it is ignored',
    );
  }
  const extra = additional ?? new Map<string, string>();
  // Decoding can reveal digits the raw text hid (%34%31... or Base64): look for card numbers again.
  const hidden = hiddenCardNumbers(extra, response);
  if (hidden.length > 0) return { ok: false, problems: hidden };

  const poi = obj(obj(response.POIData).POITransactionID);
  const saleTx = obj(obj(response.SaleData).SaleTransactionID);
  const paymentResult = obj(response.PaymentResult);
  const instrument = obj(paymentResult.PaymentInstrumentData);
  const cardData = obj(instrument.CardData);
  const acquirer = obj(paymentResult.PaymentAcquirerData);
  const amounts = obj(paymentResult.AmountsResp);
  const isRefund = asText(paymentResult.PaymentType) === 'Refund';
  const status: Tender['status'] =
    outcome === 'Failure' ? 'declined' : extra.get('offline') === 'true' ? 'offline_pending' : 'approved';

  const currency = ctx.currency(
    asText(amounts.Currency) ?? extra.get('posAuthAmountCurrency') ?? extra.get('posOriginalAmountCurrency'),
    `${BASE}/PaymentResult/AmountsResp/Currency`,
    options.currency,
  );
  const amount = currency ? readAmount(ctx, amounts, extra, currency, status) : undefined;

  const poiTransactionId = asText(poi.TransactionID);
  const [tenderReference, pspFromPoi] = poiTransactionId?.includes('.')
    ? poiTransactionId.split('.', 2)
    : [poiTransactionId, undefined];
  const pspReference = extra.get('pspReference') ?? pspFromPoi;
  if (pspFromPoi && extra.get('pspReference') && pspFromPoi !== extra.get('pspReference')) {
    ctx.warn(
      'adyen.psp_reference_differs',
      `${BASE}/POIData/POITransactionID/TransactionID`,
      `POITransactionID names PSP reference ${pspFromPoi}, AdditionalResponse ${extra.get('pspReference')}; the latter is used`,
    );
  }
  const paymentId = pspReference ?? poiTransactionId;
  if (!paymentId) {
    ctx.error(
      'field.missing',
      `${BASE}/POIData/POITransactionID/TransactionID`,
      'the payment has no POI transaction id and no PSP reference',
    );
  }
  const occurredAt = ctx.timestamp(
    asText(poi.TimeStamp) ?? asText(saleTx.TimeStamp),
    poi.TimeStamp !== undefined
      ? `${BASE}/POIData/POITransactionID/TimeStamp`
      : `${BASE}/SaleData/SaleTransactionID/TimeStamp`,
  );
  const card = cardDetails(ctx, cardData, acquirer, extra, pspReference);
  if (asArray(paymentResult.CurrencyConversion).length > 0) {
    ctx.warn(
      'adyen.currency_conversion',
      `${BASE}/PaymentResult/CurrencyConversion`,
      'dynamic currency conversion details are not carried: the canonical tender has no converted amount',
    );
  }
  if (outcome === 'Failure') {
    const reason = extra.get('refusalReason') ?? extra.get('message');
    ctx.warn(
      'adyen.declined',
      `${BASE}/Response/Result`,
      `declined: ${asText(result.ErrorCondition) ?? 'Failure'}${reason ? ` (${reason})` : ''}`,
    );
  }
  if (ctx.failed || !amount || !occurredAt || !paymentId || !currency) {
    return { ok: false, problems: ctx.problems, ...(paymentId ? { unit: `payment ${paymentId}` } : {}) };
  }

  const tenderIds: ExternalId[] = [];
  const push = (scheme: string, value: string | undefined) => {
    if (value) tenderIds.push({ scheme, value });
  };
  push('adyen.pspReference', pspReference);
  push('adyen.POITransactionID', poiTransactionId);
  push('adyen.tenderReference', tenderReference !== poiTransactionId ? tenderReference : undefined);
  push('adyen.AcquirerTransactionID', asText(obj(acquirer.AcquirerTransactionID).TransactionID));
  const type = tenderType(asText(instrument.PaymentInstrumentType), card);
  const tender: Tender = {
    type,
    amount: isRefund ? { ...amount, minor: -amount.minor || 0 } : amount,
    purpose: isRefund ? 'refund' : 'payment',
    status,
    ids: tenderIds,
  };
  if (card && (type === 'card' || type === 'mobile_wallet')) tender.card = card;
  const sourceType = asText(cardData.PaymentBrand) ?? extra.get('paymentMethod');
  if (sourceType) tender.sourceType = sourceType;

  const transactionIds: ExternalId[] = [];
  const saleReference = asText(saleTx.TransactionID);
  if (saleReference) transactionIds.push({ scheme: 'adyen.SaleTransactionID', value: saleReference });
  const merchantReference = extra.get('merchantReference');
  if (merchantReference && merchantReference !== saleReference) {
    transactionIds.push({ scheme: 'adyen.merchantReference', value: merchantReference });
    ctx.warn(
      'adyen.reference_differs',
      `${BASE}/Response/AdditionalResponse`,
      `merchantReference ${merchantReference} differs from SaleTransactionID ${saleReference ?? '(none)'}; both are kept for matching`,
    );
  }

  const sourceIds: ExternalId[] = [];
  for (const [scheme, value] of [
    ['adyen.ServiceID', asText(header.ServiceID)],
    ['adyen.POIID', asText(header.POIID)],
    ['adyen.SaleID', asText(header.SaleID)],
    ['adyen.POIReconciliationID', asText(obj(response.POIData).POIReconciliationID)],
  ] as const) {
    if (value) sourceIds.push({ scheme, value });
  }
  const timestamps: Record<string, string> = {};
  for (const [name, value] of [
    ['POITransactionID.TimeStamp', asText(poi.TimeStamp)],
    ['SaleTransactionID.TimeStamp', asText(saleTx.TimeStamp)],
    ['AcquirerTransactionID.TimeStamp', asText(obj(acquirer.AcquirerTransactionID).TimeStamp)],
    ['iso8601TxDate', extra.get('iso8601TxDate')],
  ] as const) {
    if (value) timestamps[name] = value;
  }

  const storeId = options.storeId;
  const terminal = asText(header.POIID) ?? asText(header.SaleID);
  if (!storeId) {
    ctx.warn(
      'store.missing',
      `${BASE}`,
      `a terminal response names no store: the event's subject is terminal ${terminal ?? paymentId}; pass --store`,
    );
  }
  const record: PaymentRecord = {
    paymentId,
    kind: isRefund ? 'refund' : 'payment',
    tender,
    transactionIds,
    occurredAt,
    source: {
      system: 'adyen',
      format: `terminal-api-${asText(header.ProtocolVersion) ?? '3.0'}`,
      ids: sourceIds,
      timestamps,
    },
  };
  if (storeId) record.storeId = storeId;
  const subject = storeId ?? terminal ?? paymentId;
  const event = makeEvent('payment.recorded.v1', record, {
    source: storeId ? `/adyen/stores/${storeId}` : `/adyen/terminals/${subject}`,
    subject,
    identity: `adyen|${poiTransactionId ?? paymentId}`,
    time: eventTime(occurredAt),
  });
  return { ok: true, event, warnings: ctx.warnings, unit: `payment ${paymentId}` };
}

// The same amount arrives in major units (AuthorizedAmount 1) and minor units (authorisedAmountValue=100):
// both are read, and a disagreement refuses the response rather than pick one.
function readAmount(
  ctx: MapContext,
  amounts: Json,
  extra: Map<string, string>,
  currency: string,
  status: Tender['status'],
): Money | undefined {
  const majorText = asText(amounts.AuthorizedAmount);
  const major =
    majorText === undefined
      ? undefined
      : ctx.money(majorText, currency, `${BASE}/PaymentResult/AmountsResp/AuthorizedAmount`);
  const minorKey = ['authorisedAmountValue', 'posAuthAmountValue'].find((k) => extra.has(k));
  const minorCurrency = extra.get('posAuthAmountCurrency');
  if (minorCurrency && minorCurrency !== currency) {
    ctx.error(
      'currency.mismatch',
      `${BASE}/Response/AdditionalResponse`,
      `posAuthAmountCurrency ${minorCurrency} differs from ${currency}`,
    );
  }
  const minor = minorKey
    ? ctx.minorMoney(extra.get(minorKey), currency, `${BASE}/Response/AdditionalResponse`)
    : undefined;
  if (major && minor && major.minor !== minor.minor) {
    return ctx.error(
      'adyen.amount_mismatch',
      `${BASE}/PaymentResult/AmountsResp/AuthorizedAmount`,
      `AuthorizedAmount ${majorText} ${currency} and ${minorKey}=${extra.get(minorKey!)} (minor units) disagree`,
    );
  }
  const authorised = major?.minor ? major : (minor ?? major);
  if (status === 'declined' && !authorised?.minor) {
    // Nothing was authorised: the tender records the amount that was asked for.
    const asked = extra.get('posOriginalAmountValue') ?? extra.get('posAmountValue');
    if (asked !== undefined) return ctx.minorMoney(asked, currency, `${BASE}/Response/AdditionalResponse`);
  }
  return (
    authorised ??
    ctx.error(
      'money.missing',
      `${BASE}/PaymentResult/AmountsResp/AuthorizedAmount`,
      'the response states no amount',
    )
  );
}

function cardDetails(
  ctx: MapContext,
  cardData: Json,
  acquirer: Json,
  extra: Map<string, string>,
  pspReference: string | undefined,
): CardDetails | undefined {
  const card: CardDetails = {};
  const brand = asText(cardData.PaymentBrand) ?? extra.get('cardType') ?? extra.get('paymentMethod');
  if (brand) card.brand = cardBrandName(brand);
  const masked = asText(cardData.MaskedPan);
  const fromPan = masked ? /(\d{4})\s*$/.exec(masked)?.[1] : undefined;
  const summary = extra.get('cardSummary');
  const fromSummary = summary && /^\d{4}$/.test(summary) ? summary : undefined;
  if (fromPan && fromSummary && fromPan !== fromSummary) {
    ctx.warn(
      'adyen.last4_differs',
      `${BASE}/PaymentResult/PaymentInstrumentData/CardData/MaskedPan`,
      `the masked PAN ends in ${fromPan} but cardSummary is ${fromSummary}; the masked PAN is used`,
    );
  }
  const last4 = fromPan ?? fromSummary;
  if (last4) card.last4 = last4;
  const funding = extra.get('fundingSource')?.toLowerCase();
  if (funding === 'credit' || funding === 'debit' || funding === 'prepaid') card.funding = funding;
  const entry = asArray(cardData.EntryMode)
    .map((m) => asText(m))
    .filter((m) => m !== undefined);
  const entryMethod = entry.length > 0 ? entry.join(',') : extra.get('posEntryMode');
  if (entryMethod) card.entryMethod = entryMethod;
  const auth = asText(acquirer.ApprovalCode) ?? extra.get('authCode');
  if (auth) card.authorizationCode = auth;
  if (pspReference) card.pspReference = pspReference;
  return Object.keys(card).length > 0 ? card : undefined;
}

function tenderType(instrument: string | undefined, card: CardDetails | undefined): Tender['type'] {
  if (instrument === 'StoredValue') return 'gift_card';
  if (instrument === 'Mobile') return 'mobile_wallet';
  if (instrument === 'Card' || card?.brand || card?.last4) return 'card';
  return 'other';
}

function hiddenCardNumbers(extra: Map<string, string>, response: Json): Problem[] {
  const problems: Problem[] = [];
  for (const value of extra.values()) {
    for (const digits of cardNumbersIn(value))
      problems.push(cardNumberProblem(`${BASE}/Response/AdditionalResponse`, digits));
  }
  for (const [r, receipt] of asArray(response.PaymentReceipt).entries()) {
    const lines = asArray(obj(obj(receipt).OutputContent).OutputText);
    for (const [l, line] of lines.entries()) {
      const text = asText(obj(line).Text);
      if (!text) continue;
      for (const value of new URLSearchParams(text).values()) {
        for (const digits of cardNumbersIn(value)) {
          problems.push(
            cardNumberProblem(`${BASE}/PaymentReceipt/${r}/OutputContent/OutputText/${l}/Text`, digits),
          );
        }
      }
    }
  }
  return problems;
}

function obj(value: VendorJson | undefined): Json {
  return isObject(value) ? value : {};
}

function refuse(code: string, pointer: string, message: string): NormalizedCandidate {
  return { ok: false, problems: [{ code, pointer, message, severity: 'error' }] };
}
