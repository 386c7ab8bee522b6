import type { RetailTransaction, Tender } from '@poshub/model';
import { makeEvent, moneyText, sumMoney, TRANSACTION_EVENT_TYPE } from '@poshub/model';
import { computedTotal } from '@poshub/rules';
import { MapContext } from '../map-context.ts';
import type { NormalizedCandidate, NormalizeOptions } from '../normalizer.ts';
import { eventTime } from '../timestamp.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asArray, asBool, asText, isObject } from '../vendor-json.ts';
import { mapShopifyRefundLines } from './map-refund-lines.ts';
import { shopifyChannel } from './shopify-channel.ts';
import { shopifyOptionalMoney } from './shopify-optional-money.ts';
import { shopifySource } from './shopify-source.ts';
import { shopifyCard, shopifyTenderType } from './shopify-tender-type.ts';
import { shopifyTransactionAmount } from './shopify-transaction-amount.ts';
import { shopifyStoreId, shopifyTransactionKey, transactionIdentity } from './shopify-transaction-key.ts';

type JsonObject = { [key: string]: VendorJson };

function refundTenders(ctx: MapContext, refund: JsonObject, at: string, currency: string): Tender[] {
  const tenders: Tender[] = [];
  for (const [i, tx] of asArray(refund.transactions).entries()) {
    const p = `${at}/transactions/${i}`;
    if (!isObject(tx)) continue;
    const status = asText(tx.status);
    // A failed refund attempt paid nothing back.
    if (asText(tx.kind) !== 'refund' || (status !== 'success' && status !== 'pending')) continue;
    const amount = shopifyTransactionAmount(ctx, tx, p, currency);
    if (!amount) continue;
    const gateway = asText(tx.gateway);
    const type = shopifyTenderType(gateway, tx.payment_details);
    const tender: Tender = {
      type,
      amount: { ...amount, minor: -amount.minor || 0 },
      purpose: 'refund',
      status: status === 'pending' ? 'pending' : 'approved',
      ids: [],
    };
    if (gateway) tender.sourceType = gateway;
    const id = asText(tx.id);
    if (id) tender.ids.push({ scheme: 'shopify.transaction', value: id });
    const parent = asText(tx.parent_id);
    if (parent) tender.ids.push({ scheme: 'shopify.parent_transaction', value: parent });
    const card = type === 'card' ? shopifyCard(tx.payment_details) : undefined;
    if (card) tender.card = card;
    tenders.push(tender);
  }
  return tenders;
}

function adjustmentFees(
  ctx: MapContext,
  refund: JsonObject,
  at: string,
  currency: string,
): RetailTransaction['fees'] {
  const fees: RetailTransaction['fees'] = [];
  for (const [i, adjustment] of asArray(refund.order_adjustments).entries()) {
    const p = `${at}/order_adjustments/${i}`;
    if (!isObject(adjustment)) continue;
    // Shopify signs an adjustment as it affects the shop: a shipping refund is negative, keeping back
    // part of the calculated refund (refund_discrepancy) positive. That is the model's sign too.
    const amount = ctx.money(adjustment.amount, currency, `${p}/amount`);
    const tax = shopifyOptionalMoney(ctx, adjustment.tax_amount, currency, `${p}/tax_amount`);
    if (!amount) continue;
    fees.push({
      kind: asText(adjustment.kind) ?? 'adjustment',
      amount,
      taxes:
        tax && tax.minor !== 0
          ? [{ name: 'adjustment tax', amount: tax, included: false, rateDerived: false }]
          : [],
    });
  }
  return fees;
}

/**
 * Maps a Shopify refund to a return: the refunded lines linked to the order, the refund transactions as
 * negative tenders, order adjustments as fees. The canonical total is what the refund transactions paid
 * back. When lines, taxes and adjustments do not come to that amount (the published sample pays back
 * 209.00 for two 199.00 lines with 3.98 tax each, and records no adjustment), the difference is kept as a
 * "refund_discrepancy" fee, which is what Shopify calls such an adjustment, with a warning.
 */
export function mapShopifyRefund(
  refund: JsonObject,
  at: string,
  options: NormalizeOptions,
): NormalizedCandidate {
  const ctx = new MapContext({ zone: options.timeZone });
  const id = ctx.text(asText(refund.id), `${at}/id`, 'refund id');
  const orderId = ctx.text(asText(refund.order_id), `${at}/order_id`, 'order id of the refund');
  const created = ctx.timestamp(refund.created_at, `${at}/created_at`);
  const processed =
    refund.processed_at === undefined || refund.processed_at === null
      ? undefined
      : ctx.timestamp(refund.processed_at, `${at}/processed_at`);
  const transactions = asArray(refund.transactions).filter(isObject);
  const first = transactions[0];
  // A refund names no currency of its own: its transactions do.
  const currency = ctx.currency(
    asText(first?.currency) ?? asText(refund.currency),
    first?.currency !== undefined ? `${at}/transactions/0/currency` : `${at}/currency`,
    options.currency,
  );
  if (!currency || !orderId) return { ok: false, problems: ctx.problems };

  const lines = mapShopifyRefundLines(ctx, refund, at, currency, orderId);
  const fees = adjustmentFees(ctx, refund, at, currency);
  const tenders = refundTenders(ctx, refund, at, currency);
  if (ctx.failed || !id || !created) return { ok: false, problems: ctx.problems };

  const occurredAt = processed ?? created;
  const total = sumMoney(
    currency,
    tenders.map((t) => t.amount),
  );
  const location =
    asText(first?.location_id) ??
    asArray(refund.refund_line_items)
      .filter(isObject)
      .map((l) => asText(l.location_id))
      .find((l) => l !== undefined);
  const storeId = shopifyStoreId(location, options);
  const sourceName = asText(first?.source_name);
  const key = shopifyTransactionKey({
    storeId,
    workstationId: asText(first?.device_id) ?? sourceName ?? 'unknown',
    sequence: id,
    at: occurredAt,
    timeZone: options.timeZone,
  });
  const source = shopifySource(
    refund,
    [
      ['shopify.refund', 'id'],
      ['shopify.order', 'order_id'],
    ],
    ['created_at', 'processed_at'],
  );
  for (const [i, tx] of transactions.entries()) {
    const when = asText(tx.created_at);
    if (when) source.timestamps[`transactions/${i}/created_at`] = when;
  }
  const data: RetailTransaction = {
    kind: 'return',
    trainingMode: transactions.some((tx) => asBool(tx.test) === true),
    key,
    currency,
    occurredAt,
    channel: shopifyChannel(sourceName),
    lines,
    discounts: [],
    taxes: [],
    fees,
    tenders,
    total,
    stated: { grand: total },
    links: [{ kind: 'return', ids: [{ scheme: 'shopify.order', value: orderId }] }],
    source,
  };
  const operator = asText(refund.user_id);
  if (operator) data.operator = { id: operator };

  inferTaxInclusion(data);
  const residual = total.minor - computedTotal(data);
  if (residual !== 0) {
    const discrepancy = { ...total, minor: residual };
    fees.push({ kind: 'refund_discrepancy', amount: discrepancy, taxes: [] });
    ctx.warn(
      'shopify.refund_discrepancy',
      `${at}/transactions`,
      `the refund transactions pay back ${moneyText({ ...total, minor: -total.minor })} but the refunded lines, taxes and adjustments come to ${moneyText({ ...total, minor: -(total.minor - residual) })}: the ${moneyText(discrepancy)} difference is kept as a refund_discrepancy fee`,
    );
  }

  const event = makeEvent(TRANSACTION_EVENT_TYPE.return, data, {
    source: `/shopify/stores/${storeId}`,
    subject: storeId,
    identity: transactionIdentity(key),
    time: eventTime(occurredAt),
  });
  return { ok: true, event, warnings: ctx.warnings, unit: at || undefined };
}

/**
 * A refund does not say whether the order's prices included tax. Taxes are read as added on top unless
 * only the tax-inclusive reading makes the lines come exactly to the money paid back.
 */
function inferTaxInclusion(data: RetailTransaction): void {
  const taxes = data.lines.flatMap((l) => l.taxes);
  if (taxes.length === 0) return;
  const exclusive = computedTotal(data);
  const taxSum = taxes.reduce((sum, t) => sum + t.amount.minor, 0);
  if (exclusive !== data.total.minor && exclusive - taxSum === data.total.minor) {
    for (const tax of taxes) tax.included = true;
  }
}
