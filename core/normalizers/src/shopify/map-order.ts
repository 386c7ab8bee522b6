import type { Discount, Money, RetailTransaction, Tax } from '@poshub/model';
import { makeEvent, moneyText, negateMoney, sumMoney, TRANSACTION_EVENT_TYPE } from '@poshub/model';
import { computedTotal } from '@poshub/rules';
import { MapContext } from '../map-context.ts';
import type { NormalizedCandidate, NormalizeOptions } from '../normalizer.ts';
import { eventTime } from '../timestamp.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asArray, asBool, asText, isObject } from '../vendor-json.ts';
import { mapShopifyOrderLines } from './map-order-lines.ts';
import { mapShopifyOrderTenders } from './map-order-tenders.ts';
import { mapShopifyTaxLines } from './map-tax-lines.ts';
import { shopifyChannel } from './shopify-channel.ts';
import { shopifyOptionalMoney } from './shopify-optional-money.ts';
import { shopifySource } from './shopify-source.ts';
import { shopifyStoreId, shopifyTransactionKey, transactionIdentity } from './shopify-transaction-key.ts';

type JsonObject = { [key: string]: VendorJson };

const present = (value: VendorJson | undefined) => value !== undefined && value !== null && value !== '';

/**
 * Order-level discounts when Shopify allocated none to lines. `total_discounts` is what the order's totals
 * use; `discount_codes` can disagree with it (the published sample lists TENOFF 10.00 with total_discounts
 * 0.00), and then the money follows total_discounts and a warning says so.
 */
function orderDiscounts(
  ctx: MapContext,
  order: JsonObject,
  at: string,
  currency: string,
  totalDiscounts: Money | undefined,
  allocated: Money | undefined,
): Discount[] {
  const codes: Array<{ code: string | undefined; amount: Money }> = [];
  for (const [i, entry] of asArray(order.discount_codes).entries()) {
    if (!isObject(entry)) continue;
    const amount = ctx.money(entry.amount, currency, `${at}/discount_codes/${i}/amount`);
    if (amount) codes.push({ code: asText(entry.code), amount });
  }
  if (allocated) {
    if (totalDiscounts && totalDiscounts.minor !== allocated.minor) {
      ctx.warn(
        'shopify.discounts_inconsistent',
        `${at}/total_discounts`,
        `discounts allocated to lines and shipping come to ${moneyText(allocated)} but total_discounts is ${moneyText(totalDiscounts)}; the allocations are kept`,
      );
    }
    return [];
  }
  const codesTotal = sumMoney(
    currency,
    codes.map((c) => c.amount),
  );
  const stated = totalDiscounts ?? codesTotal;
  if (codes.length > 0 && codesTotal.minor !== stated.minor) {
    ctx.warn(
      'shopify.discounts_inconsistent',
      `${at}/discount_codes`,
      `discount_codes come to ${moneyText(codesTotal)} but total_discounts is ${moneyText(stated)}; the order's totals use total_discounts, so ${moneyText(stated)} is taken off`,
    );
  }
  if (stated.minor === 0) return [];
  if (codes.length > 0 && codesTotal.minor === stated.minor) {
    return codes
      .filter((c) => c.amount.minor !== 0)
      .map((c) => {
        const discount: Discount = { kind: 'coupon', amount: negateMoney(c.amount) };
        if (c.code) discount.code = c.code;
        return discount;
      });
  }
  return [{ kind: 'other', amount: negateMoney(stated), description: 'total_discounts' }];
}

/**
 * Maps a Shopify Admin REST order to a retail transaction. POS orders (`source_name` "pos") are till sales
 * keyed by location and device; web orders go to the online store. A cancelled order is a void when no
 * money was taken and a post-void when it was. `test: true` marks training mode.
 */
export function mapShopifyOrder(
  order: JsonObject,
  at: string,
  options: NormalizeOptions,
): NormalizedCandidate {
  const ctx = new MapContext({ zone: options.timeZone });
  const id = ctx.text(asText(order.id), `${at}/id`, 'order id');
  const currency = ctx.currency(asText(order.currency), `${at}/currency`, options.currency);
  const created = ctx.timestamp(order.created_at, `${at}/created_at`);
  const processed = present(order.processed_at)
    ? ctx.timestamp(order.processed_at, `${at}/processed_at`)
    : undefined;
  const cancelled = present(order.cancelled_at)
    ? ctx.timestamp(order.cancelled_at, `${at}/cancelled_at`)
    : undefined;
  if (!currency) return { ok: false, problems: ctx.problems };

  const taxesIncluded = asBool(order.taxes_included) === true;
  const total = ctx.money(order.total_price, currency, `${at}/total_price`);
  const { lines, allocated, taxed } = mapShopifyOrderLines(ctx, order, at, currency, taxesIncluded);

  const fees: RetailTransaction['fees'] = [];
  const shippingDiscounts: Money[] = [];
  for (const [i, shipping] of asArray(order.shipping_lines).entries()) {
    const p = `${at}/shipping_lines/${i}`;
    if (!isObject(shipping)) continue;
    const price = ctx.money(shipping.price, currency, `${p}/price`);
    const discounted = present(shipping.discounted_price)
      ? ctx.money(shipping.discounted_price, currency, `${p}/discounted_price`)
      : price;
    if (!price || !discounted) continue;
    if (discounted.minor !== price.minor)
      shippingDiscounts.push({ ...price, minor: price.minor - discounted.minor });
    const taxes = mapShopifyTaxLines(ctx, shipping.tax_lines, `${p}/tax_lines`, {
      currency,
      included: taxesIncluded,
      sign: 1,
    });
    fees.push({ kind: 'shipping', amount: discounted, taxes });
  }
  const tip = shopifyOptionalMoney(ctx, order.total_tip_received, currency, `${at}/total_tip_received`);
  if (tip && tip.minor !== 0) fees.push({ kind: 'tip', amount: tip, taxes: [] });

  const allocations = [
    ...lines.flatMap((l) => l.discounts.map((d) => negateMoney(d.amount))),
    ...shippingDiscounts,
  ];
  const totalDiscounts = shopifyOptionalMoney(ctx, order.total_discounts, currency, `${at}/total_discounts`);
  const discounts = orderDiscounts(
    ctx,
    order,
    at,
    currency,
    totalDiscounts,
    allocated || shippingDiscounts.length > 0 ? sumMoney(currency, allocations) : undefined,
  );

  // Line tax_lines carry the tax when present; the order's tax_lines then only summarise them.
  const taxes: Tax[] = taxed
    ? []
    : mapShopifyTaxLines(ctx, order.tax_lines, `${at}/tax_lines`, {
        currency,
        included: taxesIncluded,
        sign: 1,
      });
  const totalTax = shopifyOptionalMoney(ctx, order.total_tax, currency, `${at}/total_tax`);
  if (!taxed && taxes.length === 0 && totalTax && totalTax.minor !== 0) {
    taxes.push({ name: 'total_tax', amount: totalTax, included: taxesIncluded, rateDerived: false });
  }
  const allTaxes = [...lines.flatMap((l) => l.taxes), ...fees.flatMap((f) => f.taxes), ...taxes].map(
    (x) => x.amount,
  );
  const taxSum = sumMoney(currency, allTaxes);
  if (totalTax && taxSum.minor !== totalTax.minor) {
    ctx.warn(
      'shopify.taxes_inconsistent',
      `${at}/total_tax`,
      `tax lines come to ${moneyText(taxSum)} but total_tax is ${moneyText(totalTax)}; the tax lines are kept`,
    );
  }

  if (ctx.failed || !id || !created || !total) return { ok: false, problems: ctx.problems };
  const occurredAt = processed ?? created;
  const { tenders, captured } = mapShopifyOrderTenders(ctx, order, at, currency, total);
  if (ctx.failed) return { ok: false, problems: ctx.problems };

  const financial = asText(order.financial_status);
  let kind: RetailTransaction['kind'] = 'sale';
  if (cancelled) kind = captured ? 'post_void' : 'void';
  // An authorisation that was voided or expired took no money: the basket never became a sale.
  else if (financial === 'voided' || financial === 'expired') kind = 'void';

  const storeId = shopifyStoreId(asText(order.location_id), options);
  const sourceName = asText(order.source_name);
  const key = shopifyTransactionKey({
    storeId,
    workstationId: asText(order.device_id) ?? sourceName ?? 'unknown',
    sequence: asText(order.order_number) ?? asText(order.number) ?? id,
    at: occurredAt,
    timeZone: options.timeZone,
  });

  const data: RetailTransaction = {
    kind,
    trainingMode: asBool(order.test) === true,
    key,
    currency,
    occurredAt,
    channel: shopifyChannel(sourceName),
    lines,
    discounts,
    taxes,
    fees,
    // A void took no money: what was authorised and then voided is not a tender.
    tenders: kind === 'void' ? [] : tenders,
    total,
    stated: { grand: total },
    links: [],
    source: shopifySource(
      order,
      [
        ['shopify.order', 'id'],
        ['shopify.order_name', 'name'],
        ['shopify.checkout', 'checkout_id'],
        ['shopify.location', 'location_id'],
        ['shopify.device', 'device_id'],
      ],
      ['created_at', 'processed_at', 'updated_at', 'closed_at', 'cancelled_at'],
    ),
  };
  if (totalTax) data.stated.tax = totalTax;
  if (totalDiscounts) data.stated.discount = negateMoney(totalDiscounts);
  const subtotal = shopifyOptionalMoney(ctx, order.subtotal_price, currency, `${at}/subtotal_price`);
  if (subtotal) data.stated.net = subtotal;
  const receipt = asText(order.name);
  if (receipt) data.receiptNumber = receipt;
  const operator = asText(order.user_id);
  if (operator) data.operator = { id: operator };
  const customerId = isObject(order.customer) ? asText(order.customer.id) : undefined;
  if (customerId) data.customer = { customerId, ids: [{ scheme: 'shopify.customer', value: customerId }] };
  const extensions: Record<string, string> = {};
  for (const field of ['financial_status', 'fulfillment_status', 'cancel_reason']) {
    const value = asText(order[field]);
    if (value) extensions[field] = value;
  }
  if (Object.keys(extensions).length > 0) data.extensions = { shopify: extensions };

  reconcileLineSubtotal(ctx, order, at, data);
  if (ctx.failed) return { ok: false, problems: ctx.problems };

  const event = makeEvent(TRANSACTION_EVENT_TYPE[kind], data, {
    source: `/shopify/stores/${storeId}`,
    subject: storeId,
    identity: transactionIdentity(key),
    time: eventTime(occurredAt),
  });
  return { ok: true, event, warnings: ctx.warnings, unit: at || undefined };
}

/**
 * Shopify builds `total_price` on `total_line_items_price`. When that stated subtotal differs from the sum of
 * the line items (the published sample lists three lines of 199.00 under a subtotal of 398.00) and that
 * difference is exactly what keeps the order from reconciling, the difference is kept as an explicit
 * "source_adjustment" fee with a warning: the money that moved is the stated total, and the lines stay as sent.
 */
function reconcileLineSubtotal(
  ctx: MapContext,
  order: JsonObject,
  at: string,
  data: RetailTransaction,
): void {
  const stated = shopifyOptionalMoney(
    ctx,
    order.total_line_items_price,
    data.currency,
    `${at}/total_line_items_price`,
  );
  if (!stated) return;
  const linesSum = sumMoney(
    data.currency,
    data.lines.map((l) => l.extendedAmount),
  );
  const residual = data.total.minor - computedTotal(data);
  if (residual === 0 || stated.minor - linesSum.minor !== residual) return;
  const adjustment = { ...stated, minor: residual };
  data.fees.push({ kind: 'source_adjustment', amount: adjustment, taxes: [] });
  ctx.warn(
    'shopify.lines_inconsistent',
    `${at}/total_line_items_price`,
    `the line items come to ${moneyText(linesSum)} but total_line_items_price is ${moneyText(stated)}, which the order's totals use: the ${moneyText(adjustment)} difference is kept as a source_adjustment fee`,
  );
}
