import type { PaymentRecord, Tender } from '@poshub/model';
import { makeEvent, negateMoney } from '@poshub/model';
import { MapContext } from '../map-context.ts';
import type { NormalizedCandidate, NormalizeOptions } from '../normalizer.ts';
import { eventTime } from '../timestamp.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asText, isObject } from '../vendor-json.ts';
import { squareCard, squareTenderType } from './square-card.ts';
import { squareCurrency, squareMoney } from './square-money.ts';
import type { SquareWebhook } from './square-resources.ts';
import { squareSource } from './square-source.ts';
import { squareStoreId } from './square-store.ts';

function refundStatus(status: string | undefined): Tender['status'] {
  if (status === 'COMPLETED') return 'approved';
  if (status === 'REJECTED' || status === 'FAILED') return 'declined';
  return 'pending';
}

/**
 * Maps a Square PaymentRefund to a payment record of kind refund: money out (negative), PENDING until the
 * card network settles it, linked to the payment and order it refunds.
 */
export function mapSquarePaymentRefund(
  refund: VendorJson,
  at: string,
  options: NormalizeOptions,
  webhook?: SquareWebhook,
): NormalizedCandidate {
  const ctx = new MapContext({ zone: options.timeZone });
  if (!isObject(refund)) {
    ctx.error('field.missing', at, 'the refund is missing');
    return { ok: false, problems: ctx.problems };
  }
  const id = ctx.text(asText(refund.id), `${at}/id`, 'refund id');
  const occurredAt = ctx.timestamp(refund.created_at, `${at}/created_at`);
  const currency = squareCurrency(ctx, refund, at, [['amount_money']], options.currency);
  if (!currency) return { ok: false, problems: ctx.problems };
  const amount = squareMoney(ctx, refund.amount_money, `${at}/amount_money`, currency);
  if (ctx.failed || !id || !occurredAt || !amount) return { ok: false, problems: ctx.problems };

  const destination = asText(refund.destination_type);
  const status = asText(refund.status);
  const tender: Tender = {
    // Square says where the money went only when asked for a destination; otherwise it is unknown here.
    type: squareTenderType(destination),
    amount: negateMoney(amount),
    purpose: 'refund',
    status: refundStatus(status),
    ids: [{ scheme: 'square.refund', value: id }],
  };
  if (destination) tender.sourceType = destination;
  const paymentId = asText(refund.payment_id);
  if (paymentId) tender.ids.push({ scheme: 'square.payment', value: paymentId });
  const destinationDetails = isObject(refund.destination_details) ? refund.destination_details : undefined;
  const cardDetails =
    destinationDetails && isObject(destinationDetails.card_details)
      ? destinationDetails.card_details
      : undefined;
  const card = cardDetails ? squareCard(cardDetails.card, cardDetails.entry_method) : undefined;
  if (card) tender.card = card;

  const storeId = squareStoreId(asText(refund.location_id), options);
  const data: PaymentRecord = {
    paymentId: id,
    kind: 'refund',
    storeId,
    tender,
    transactionIds: [],
    occurredAt,
    source: squareSource(
      refund,
      [
        ['square.refund', 'id'],
        ['square.payment', 'payment_id'],
        ['square.order', 'order_id'],
        ['square.location', 'location_id'],
      ],
      ['created_at', 'updated_at'],
      webhook,
    ),
  };
  const orderId = asText(refund.order_id);
  if (orderId) data.transactionIds.push({ scheme: 'square.order', value: orderId });
  if (paymentId) data.transactionIds.push({ scheme: 'square.payment', value: paymentId });
  const event = makeEvent('payment.recorded.v1', data, {
    source: `/square/stores/${storeId}`,
    subject: storeId,
    identity: `${id}|${status ?? ''}|${asText(refund.updated_at) ?? ''}`,
    time: eventTime(occurredAt),
  });
  return { ok: true, event, warnings: ctx.warnings, unit: at };
}
