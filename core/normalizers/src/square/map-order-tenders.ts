import type { Tender } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asArray, asText, isObject } from '../vendor-json.ts';
import { squareCard, squareTenderType } from './square-card.ts';
import { squareMoney } from './square-money.ts';

type JsonObject = { [key: string]: VendorJson };

function cardStatus(tender: JsonObject): Tender['status'] | 'skip' {
  const details = isObject(tender.card_details) ? tender.card_details : undefined;
  switch (details ? asText(details.status) : undefined) {
    case 'AUTHORIZED':
      return 'pending';
    case 'VOIDED':
    case 'FAILED':
      return 'skip';
    default:
      return 'approved';
  }
}

/**
 * Tenders of a Square order (money in) and its refunds (money out). A cash tender's `amount_money` is net of
 * change: the canonical leg is what the buyer handed over with the change beside it. Voided or failed card
 * tenders took no money and are left out; rejected or failed refunds likewise.
 */
export function mapSquareOrderTenders(
  ctx: MapContext,
  order: JsonObject,
  at: string,
  currency: string,
): Tender[] {
  const tenders: Tender[] = [];
  const byId = new Map<string, Tender>();
  for (const [i, tender] of asArray(order.tenders).entries()) {
    const p = `${at}/tenders/${i}`;
    if (!isObject(tender)) continue;
    const amount = squareMoney(ctx, tender.amount_money, `${p}/amount_money`, currency);
    if (!amount) continue;
    const sourceType = asText(tender.type);
    const status = cardStatus(tender);
    if (status === 'skip') {
      ctx.warn('square.tender_skipped', p, 'a voided or failed card tender took no money and is left out');
      continue;
    }
    const mapped: Tender = {
      type: squareTenderType(sourceType),
      amount,
      purpose: 'payment',
      status,
      ids: [],
    };
    if (sourceType) mapped.sourceType = sourceType;
    const cash = isObject(tender.cash_details) ? tender.cash_details : undefined;
    if (cash) {
      const handed = squareMoney(
        ctx,
        cash.buyer_tendered_money,
        `${p}/cash_details/buyer_tendered_money`,
        currency,
        false,
      );
      const change = squareMoney(
        ctx,
        cash.change_back_money,
        `${p}/cash_details/change_back_money`,
        currency,
        false,
      );
      if (handed && handed.minor - (change?.minor ?? 0) === amount.minor) {
        mapped.amount = handed;
        if (change && change.minor !== 0) mapped.change = change;
      } else if (handed) {
        ctx.warn(
          'square.cash_inconsistent',
          `${p}/cash_details`,
          'cash handed over less change does not equal the tender amount: the tender amount is kept',
        );
      }
    }
    const card = isObject(tender.card_details)
      ? squareCard(tender.card_details.card, tender.card_details.entry_method)
      : undefined;
    if (card) mapped.card = card;
    for (const [scheme, field] of [
      ['square.tender', 'id'],
      ['square.payment', 'payment_id'],
      ['square.transaction', 'transaction_id'],
    ] as const) {
      const value = asText(tender[field]);
      if (value) mapped.ids.push({ scheme, value });
    }
    tenders.push(mapped);
    const id = asText(tender.id);
    if (id) byId.set(id, mapped);
  }
  for (const [i, refund] of asArray(order.refunds).entries()) {
    const p = `${at}/refunds/${i}`;
    if (!isObject(refund)) continue;
    const status = asText(refund.status);
    if (status === 'REJECTED' || status === 'FAILED') continue;
    const amount = squareMoney(ctx, refund.amount_money, `${p}/amount_money`, currency);
    if (!amount) continue;
    // The refunded tender is on this order for a refund of it, or on the source order for a return.
    const original = byId.get(asText(refund.tender_id) ?? '');
    const mapped: Tender = {
      type: original?.type ?? 'other',
      amount: { ...amount, minor: -amount.minor || 0 },
      purpose: 'refund',
      status: status === 'PENDING' ? 'pending' : 'approved',
      ids: [],
    };
    if (original?.sourceType) mapped.sourceType = original.sourceType;
    if (original?.card) mapped.card = original.card;
    for (const [scheme, field] of [
      ['square.refund', 'id'],
      ['square.tender', 'tender_id'],
      ['square.transaction', 'transaction_id'],
    ] as const) {
      const value = asText(refund[field]);
      if (value) mapped.ids.push({ scheme, value });
    }
    tenders.push(mapped);
  }
  return tenders;
}
