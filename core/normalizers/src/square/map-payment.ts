import type { PaymentRecord, Tender } from '@poshub/model';
import { makeEvent } from '@poshub/model';
import { MapContext } from '../map-context.ts';
import type { NormalizedCandidate, NormalizeOptions } from '../normalizer.ts';
import { eventTime } from '../timestamp.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asBool, asText, isObject } from '../vendor-json.ts';
import { squareCard, squareTenderType } from './square-card.ts';
import { squareCurrency, squareMoney } from './square-money.ts';
import type { SquareWebhook } from './square-resources.ts';
import { squareSource } from './square-source.ts';
import { squareStoreId } from './square-store.ts';

// APPROVED is authorised but not captured yet; CANCELED and FAILED took no money.
function paymentStatus(status: string | undefined, offline: boolean): Tender['status'] {
  if (status === 'COMPLETED') return 'approved';
  if (status === 'CANCELED' || status === 'FAILED') return 'declined';
  return offline ? 'offline_pending' : 'pending';
}

/**
 * Maps a Square Payment to a payment record that enriches the tender of its order: the amount is
 * `total_money` (tip included, as on the order's tender); card data is brand, last four, funding and
 * entry method only.
 */
export function mapSquarePayment(
  payment: VendorJson,
  at: string,
  options: NormalizeOptions,
  webhook?: SquareWebhook,
): NormalizedCandidate {
  const ctx = new MapContext({ zone: options.timeZone });
  if (!isObject(payment)) {
    ctx.error('field.missing', at, 'the payment is missing');
    return { ok: false, problems: ctx.problems };
  }
  const id = ctx.text(asText(payment.id), `${at}/id`, 'payment id');
  const occurredAt = ctx.timestamp(payment.created_at, `${at}/created_at`);
  const currency = squareCurrency(ctx, payment, at, [['total_money'], ['amount_money']], options.currency);
  if (!currency) return { ok: false, problems: ctx.problems };
  const amount =
    squareMoney(ctx, payment.total_money, `${at}/total_money`, currency, false) ??
    squareMoney(ctx, payment.amount_money, `${at}/amount_money`, currency);
  if (ctx.failed || !id || !occurredAt || !amount) return { ok: false, problems: ctx.problems };

  const sourceType = asText(payment.source_type);
  const status = asText(payment.status);
  const tender: Tender = {
    type: squareTenderType(sourceType),
    amount,
    purpose: 'payment',
    status: paymentStatus(status, asBool(payment.is_offline_payment) === true),
    ids: [{ scheme: 'square.payment', value: id }],
  };
  if (sourceType) tender.sourceType = sourceType;
  const details = isObject(payment.card_details) ? payment.card_details : undefined;
  if (details) {
    const card = squareCard(details.card, details.entry_method);
    const auth = asText(details.auth_result_code);
    if (card && auth) card.authorizationCode = auth;
    if (card) tender.card = card;
  }
  const cash = isObject(payment.cash_details) ? payment.cash_details : undefined;
  if (cash) {
    const handed = squareMoney(
      ctx,
      cash.buyer_supplied_money,
      `${at}/cash_details/buyer_supplied_money`,
      currency,
      false,
    );
    const change = squareMoney(
      ctx,
      cash.change_back_money,
      `${at}/cash_details/change_back_money`,
      currency,
      false,
    );
    if (handed && handed.minor - (change?.minor ?? 0) === amount.minor) {
      tender.amount = handed;
      if (change && change.minor !== 0) tender.change = change;
    }
  }
  const reference = asText(payment.reference_id);
  if (reference) tender.reference = reference;
  const receipt = asText(payment.receipt_number);
  if (receipt) tender.ids.push({ scheme: 'square.receipt', value: receipt });

  const storeId = squareStoreId(asText(payment.location_id), options);
  const data: PaymentRecord = {
    paymentId: id,
    kind: 'payment',
    storeId,
    tender,
    transactionIds: [],
    occurredAt,
    source: squareSource(
      payment,
      [
        ['square.payment', 'id'],
        ['square.order', 'order_id'],
        ['square.location', 'location_id'],
      ],
      ['created_at', 'updated_at'],
      webhook,
    ),
  };
  const orderId = asText(payment.order_id);
  if (orderId) data.transactionIds.push({ scheme: 'square.order', value: orderId });
  const event = makeEvent('payment.recorded.v1', data, {
    source: `/square/stores/${storeId}`,
    subject: storeId,
    // A payment changes state (APPROVED, then COMPLETED): each state is its own event.
    identity: `${id}|${status ?? ''}|${asText(payment.updated_at) ?? ''}`,
    time: eventTime(occurredAt),
  });
  return { ok: true, event, warnings: ctx.warnings, unit: at };
}
