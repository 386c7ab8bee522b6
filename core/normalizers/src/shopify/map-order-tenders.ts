import type { Money, Tender } from '@poshub/model';
import { addMoney, moneyText } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asArray, asText, isObject } from '../vendor-json.ts';
import { shopifyCard, shopifyTenderType } from './shopify-tender-type.ts';
import { shopifyTransactionAmount } from './shopify-transaction-amount.ts';

/** The tenders of a Shopify order, and whether any money was actually taken (decides void vs post-void). */
export interface ShopifyOrderTenders {
  tenders: Tender[];
  captured: boolean;
}

type JsonObject = { [key: string]: VendorJson };

function tenderFor(tx: JsonObject, amount: Money, status: Tender['status']): Tender {
  const gateway = asText(tx.gateway);
  const type = shopifyTenderType(gateway, tx.payment_details);
  const tender: Tender = { type, amount, purpose: 'payment', status, ids: [] };
  if (gateway) tender.sourceType = gateway;
  const id = asText(tx.id);
  if (id) tender.ids.push({ scheme: 'shopify.transaction', value: id });
  if (type === 'card') {
    const card = shopifyCard(tx.payment_details) ?? {};
    const authorization = asText(tx.authorization);
    if (authorization) card.authorizationCode = authorization;
    if (Object.keys(card).length > 0) tender.card = card;
  }
  return tender;
}

/**
 * Tenders from the order's transactions (attached by the poller from the Transaction resource, or present in
 * newer payloads). Sales and captures are money taken; an authorization nobody captured or voided is a
 * pending tender; a "change" transaction is the cash handed back on the cash leg it belongs to. Refunds are
 * left out: they arrive as refund documents of their own.
 */
function fromTransactions(
  ctx: MapContext,
  transactions: VendorJson[],
  at: string,
  currency: string,
): ShopifyOrderTenders {
  const settled = new Set<string>();
  for (const tx of transactions) {
    if (!isObject(tx) || asText(tx.status) !== 'success') continue;
    const kind = asText(tx.kind);
    const parent = asText(tx.parent_id);
    if (parent && (kind === 'capture' || kind === 'void')) settled.add(parent);
  }
  const tenders: Tender[] = [];
  const changes: Array<{ tx: JsonObject; amount: Money; pointer: string }> = [];
  for (const [i, tx] of transactions.entries()) {
    const p = `${at}/${i}`;
    if (!isObject(tx)) {
      ctx.error('field.invalid', p, 'a transaction must be an object');
      continue;
    }
    const status = asText(tx.status);
    // Failed and errored attempts moved no money.
    if (status !== 'success' && status !== 'pending') continue;
    const kind = asText(tx.kind);
    const id = asText(tx.id);
    if (kind !== 'sale' && kind !== 'capture' && kind !== 'authorization' && kind !== 'emv_authorization') {
      if (kind === 'change') {
        const amount = shopifyTransactionAmount(ctx, tx, p, currency);
        if (amount) changes.push({ tx, amount, pointer: p });
      }
      continue;
    }
    if ((kind === 'authorization' || kind === 'emv_authorization') && id && settled.has(id)) continue;
    const amount = shopifyTransactionAmount(ctx, tx, p, currency);
    if (!amount) continue;
    const authorizedOnly = kind === 'authorization' || kind === 'emv_authorization';
    tenders.push(tenderFor(tx, amount, status === 'pending' || authorizedOnly ? 'pending' : 'approved'));
  }
  for (const { tx, amount } of changes) {
    const parent = asText(tx.parent_id);
    const leg =
      tenders.find((t) => parent !== undefined && t.ids.some((x) => x.value === parent)) ??
      tenders.findLast((t) => t.type === 'cash');
    if (leg) {
      leg.change = leg.change ? addMoney(leg.change, amount) : amount;
    } else {
      // Change with no cash leg to hang it on: money went out in cash.
      tenders.push({ ...tenderFor(tx, { ...amount, minor: -amount.minor }, 'approved'), type: 'cash' });
    }
  }
  return { tenders, captured: tenders.some((t) => t.status === 'approved') };
}

/**
 * With no transactions in the document, one tender for `total_price` is derived from the gateway names and
 * `financial_status`: paid (or since refunded) is approved, authorized or pending is pending, partially paid
 * splits into an approved paid part and a pending outstanding part; voided or expired means nothing was taken.
 */
function fromGateway(
  ctx: MapContext,
  order: JsonObject,
  at: string,
  currency: string,
  total: Money,
): ShopifyOrderTenders {
  const names = asArray(order.payment_gateway_names)
    .map((n) => asText(n))
    .filter((n): n is string => n !== undefined);
  const gateway = asText(order.gateway);
  if (names.length === 0 && gateway) names.push(gateway);
  const financial = asText(order.financial_status) ?? 'pending';
  if (financial === 'voided' || financial === 'expired') return { tenders: [], captured: false };
  const type = names.length === 1 ? shopifyTenderType(names[0], order.payment_details) : 'other';
  if (names.length > 1) {
    ctx.warn(
      'shopify.tender_split_unknown',
      `${at}/payment_gateway_names`,
      `paid through ${names.join(', ')} with no transactions to say how much each: one tender of type "other" for the whole amount`,
    );
  }
  const make = (amount: Money, status: Tender['status']): Tender => {
    const tender: Tender = { type, amount, purpose: 'payment', status, ids: [] };
    if (names.length > 0) tender.sourceType = names.join(', ');
    const card = type === 'card' ? shopifyCard(order.payment_details) : undefined;
    if (card) tender.card = card;
    return tender;
  };
  ctx.warn(
    'shopify.tenders_derived',
    `${at}/financial_status`,
    `no transactions in the document: the tender of ${moneyText(total)} is derived from the gateway and financial_status "${financial}"`,
  );
  if (financial === 'partially_paid') {
    const outstanding =
      order.total_outstanding === undefined
        ? undefined
        : ctx.money(order.total_outstanding, currency, `${at}/total_outstanding`);
    if (outstanding && outstanding.minor > 0 && outstanding.minor <= total.minor) {
      const paid = { ...total, minor: total.minor - outstanding.minor };
      return { tenders: [make(paid, 'approved'), make(outstanding, 'pending')], captured: paid.minor > 0 };
    }
  }
  // Partially paid without total_outstanding: how much was taken is unknown, so all of it stays pending.
  const approved = ['paid', 'partially_refunded', 'refunded'].includes(financial);
  return { tenders: [make(total, approved ? 'approved' : 'pending')], captured: approved };
}

/** The tenders of a Shopify order: from its transactions when present, else derived (see `fromGateway`). */
export function mapShopifyOrderTenders(
  ctx: MapContext,
  order: JsonObject,
  at: string,
  currency: string,
  total: Money,
): ShopifyOrderTenders {
  const transactions = asArray(order.transactions);
  if (transactions.length > 0) return fromTransactions(ctx, transactions, `${at}/transactions`, currency);
  return fromGateway(ctx, order, at, currency, total);
}
