import type { Money, OmnichannelOrder, RetailTransaction, Timestamp } from '@poshub/model';
import {
  addMoney,
  makeEvent,
  naturalKeyText,
  negateMoney,
  sumMoney,
  TRANSACTION_EVENT_TYPE,
} from '@poshub/model';
import { computedTotal, tenderedTotal } from '@poshub/rules';
import { MapContext } from '../map-context.ts';
import type { NormalizedCandidate, NormalizeOptions } from '../normalizer.ts';
import { derivedBusinessDay, eventTime } from '../timestamp.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asArray, asText, isObject } from '../vendor-json.ts';
import { mapSquareLine } from './map-line-item.ts';
import { mapSquareReturns } from './map-order-returns.ts';
import { resolveSquareRounding } from './map-order-rounding.ts';
import { mapSquareOrderTenders } from './map-order-tenders.ts';
import { mapSquareServiceCharges } from './map-service-charges.ts';
import { byUid } from './square-adjustments.ts';
import { squareCurrency, squareMoney } from './square-money.ts';
import { squareSource } from './square-source.ts';
import { squareStoreId } from './square-store.ts';

type JsonObject = { [key: string]: VendorJson };

const optionalTime = (
  ctx: MapContext,
  value: VendorJson | undefined,
  pointer: string,
): Timestamp | undefined =>
  value === undefined || value === null ? undefined : ctx.timestamp(value, pointer);

/**
 * What the order says it comes to: `net_amounts.total_money` (sales less returns) when present, which for
 * an order without returns equals `total_money`.
 */
function statedTotal(ctx: MapContext, order: JsonObject, at: string, currency: string): Money | undefined {
  const net = isObject(order.net_amounts) ? order.net_amounts : undefined;
  const returned = isObject(order.return_amounts) ? order.return_amounts : undefined;
  const netTotal = net
    ? squareMoney(ctx, net.total_money, `${at}/net_amounts/total_money`, currency, false)
    : undefined;
  if (netTotal) return netTotal;
  const total = squareMoney(ctx, order.total_money, `${at}/total_money`, currency, false);
  const returnTotal = returned
    ? squareMoney(ctx, returned.total_money, `${at}/return_amounts/total_money`, currency, false)
    : undefined;
  if (total && returnTotal) return addMoney(total, negateMoney(returnTotal));
  if (total) return total;
  if (returnTotal) return negateMoney(returnTotal);
  return ctx.error('money.missing', `${at}/total_money`, 'the order states no total');
}

function fulfilment(order: JsonObject): OmnichannelOrder['fulfilment'] {
  const first = asArray(order.fulfillments).find(isObject);
  switch (first ? asText(first.type) : undefined) {
    case 'PICKUP':
      return 'click_and_collect';
    case 'SHIPMENT':
    case 'DELIVERY':
      return 'ship_to_home';
    default:
      return 'unknown';
  }
}

/**
 * Maps a Square Order. A COMPLETED order is a sale, a return (only `returns[]`) or an exchange (both); a
 * CANCELED one is a void; an OPEN or DRAFT one is not a sale yet and becomes an order event. Square has
 * no workstation, sequence or business day: the workstation is `source.name` (the app or POS that took
 * the order), the sequence the order id, the business day the store's date of `created_at`.
 */
export function mapSquareOrder(
  order: VendorJson,
  at: string,
  options: NormalizeOptions,
): NormalizedCandidate {
  const ctx = new MapContext({ zone: options.timeZone });
  if (!isObject(order)) {
    ctx.error('field.missing', at, 'the order is missing');
    return { ok: false, problems: ctx.problems };
  }
  const id = ctx.text(asText(order.id), `${at}/id`, 'order id');
  const location = asText(order.location_id) ?? options.storeId;
  if (!location) ctx.error('field.missing', `${at}/location_id`, 'location id is missing');
  const state = ctx.text(asText(order.state), `${at}/state`, 'order state');
  const created = ctx.timestamp(order.created_at, `${at}/created_at`);
  const updated = optionalTime(ctx, order.updated_at, `${at}/updated_at`);
  const closed = optionalTime(ctx, order.closed_at, `${at}/closed_at`);
  const currency = squareCurrency(
    ctx,
    order,
    at,
    [
      ['total_money'],
      ['net_amounts', 'total_money'],
      ['return_amounts', 'total_money'],
      ['line_items', '0', 'base_price_money'],
    ],
    options.currency,
  );
  if (!currency) return { ok: false, problems: ctx.problems };

  const taxes = byUid(order.taxes);
  const discounts = byUid(order.discounts);
  const lines: RetailTransaction['lines'] = [];
  for (const [i, line] of asArray(order.line_items).entries()) {
    if (!isObject(line)) continue;
    const mapped = mapSquareLine(ctx, line, `${at}/line_items/${i}`, {
      direction: 'sale',
      currency,
      taxes,
      discounts,
      fallbackNumber: String(i + 1),
    });
    if (mapped) lines.push(mapped);
  }
  const returns = mapSquareReturns(ctx, order, at, currency, lines.length > 0);
  const fees = mapSquareServiceCharges(
    ctx,
    order.service_charges,
    `${at}/service_charges`,
    currency,
    taxes,
    1,
  );
  const tip = squareMoney(ctx, order.total_tip_money, `${at}/total_tip_money`, currency, false);
  if (tip && tip.minor !== 0) fees.push({ kind: 'tip', amount: tip, taxes: [] });
  fees.push(...returns.fees);
  const stated = statedTotal(ctx, order, at, currency);
  const tenders = mapSquareOrderTenders(ctx, order, at, currency);
  if (ctx.failed || !id || !location || !state || !created || !stated)
    return { ok: false, problems: ctx.problems };

  if (!options.timeZone) {
    ctx.warn(
      'square.time_zone_missing',
      `${at}/created_at`,
      "Square times are UTC: without the store's time zone the business day is the UTC date",
    );
  }
  const occurredAt = closed ?? updated ?? created;
  const storeId = squareStoreId(location, options);
  const source = squareSource(
    order,
    [
      ['square.order', 'id'],
      ['square.location', 'location_id'],
      ['square.reference', 'reference_id'],
    ],
    ['created_at', 'updated_at', 'closed_at'],
  );
  const customerId = asText(order.customer_id);
  const customer = customerId
    ? { customerId, ids: [{ scheme: 'square.customer', value: customerId }] }
    : undefined;
  const sourceName = isObject(order.source) ? asText(order.source.name) : undefined;
  const allLines = [...lines, ...returns.lines];

  const data: RetailTransaction = {
    kind: 'sale',
    trainingMode: false,
    key: {
      storeId,
      workstationId: sourceName ?? 'unknown',
      businessDay: derivedBusinessDay(created, options.timeZone),
      sequence: id,
      businessDaySource: 'derived',
    },
    currency,
    occurredAt,
    startedAt: created,
    channel: 'store',
    lines: allLines,
    discounts: [],
    taxes: [],
    fees,
    tenders,
    total: stated,
    stated: { grand: stated },
    links: returns.links,
    source,
  };
  if (customer) data.customer = customer;
  const rounding = resolveSquareRounding(
    ctx,
    order,
    at,
    stated,
    computedTotal(data),
    tenders.length > 0 ? tenderedTotal(data) : undefined,
  );
  data.total = rounding.total;
  data.stated.grand = rounding.total;
  if (rounding.cashRounding) data.cashRounding = rounding.cashRounding;
  const net = isObject(order.net_amounts) ? order.net_amounts : order;
  const statedTax = squareMoney(
    ctx,
    net.tax_money ?? net.total_tax_money,
    `${at}/net_amounts/tax_money`,
    currency,
    false,
  );
  if (statedTax) data.stated.tax = statedTax;
  const statedDiscount = squareMoney(
    ctx,
    net.discount_money ?? net.total_discount_money,
    `${at}/net_amounts/discount_money`,
    currency,
    false,
  );
  if (statedDiscount) data.stated.discount = negateMoney(statedDiscount);
  if (ctx.failed) return { ok: false, problems: ctx.problems };

  if (state === 'OPEN' || state === 'DRAFT')
    return orderEvent(ctx, order, at, data, state, updated ?? created);
  if (state !== 'COMPLETED' && state !== 'CANCELED') {
    ctx.error(
      'square.state_unknown',
      `${at}/state`,
      `order state "${state}" is not OPEN, DRAFT, COMPLETED or CANCELED`,
    );
    return { ok: false, problems: ctx.problems };
  }
  const selling = lines.length > 0;
  const returning = returns.lines.length > 0;
  if (state === 'CANCELED') {
    data.kind = 'void';
    // A canceled order took no money: its tenders were voided.
    data.tenders = [];
  } else if (selling && returning) data.kind = 'exchange';
  else if (returning || (!selling && data.total.minor < 0)) data.kind = 'return';
  const key = data.key;
  const event = makeEvent(TRANSACTION_EVENT_TYPE[data.kind], data, {
    source: `/square/stores/${storeId}`,
    subject: storeId,
    identity: naturalKeyText(key),
    time: eventTime(occurredAt),
  });
  return { ok: true, event, warnings: ctx.warnings, unit: at || undefined };
}

/** An OPEN or DRAFT order: an order event with its lines and total, version 1 as created, later as updated. */
function orderEvent(
  ctx: MapContext,
  order: JsonObject,
  at: string,
  t: RetailTransaction,
  state: string,
  occurredAt: Timestamp,
): NormalizedCandidate {
  const computed = computedTotal(t);
  if (computed !== t.total.minor) {
    ctx.warn(
      'square.totals_unbalanced',
      `${at}/total_money`,
      'the lines, discounts, taxes and charges of the order do not come to its total',
    );
  }
  const orderId = t.key.sequence;
  const data: OmnichannelOrder = {
    orderId,
    ids: [{ scheme: 'square.order', value: orderId }],
    fulfilment: fulfilment(order),
    status: state.toLowerCase(),
    storeId: t.key.storeId,
    complete: true,
    lines: t.lines.map((l) => ({
      lineId: l.lineNumber,
      item: l.item,
      quantity: l.quantity,
      amount: sumMoney(t.currency, [
        l.extendedAmount,
        ...l.discounts.map((d) => d.amount),
        ...l.taxes.filter((x) => !x.included).map((x) => x.amount),
      ]),
    })),
    total: t.total,
    occurredAt,
    source: t.source,
  };
  const reference = asText(order.reference_id);
  if (reference) data.ids.push({ scheme: 'square.reference', value: reference });
  if (t.customer) data.customer = t.customer;
  const version = asText(order.version);
  const first =
    version === undefined ? asText(order.created_at) === asText(order.updated_at) : version === '1';
  const event = makeEvent(first ? 'order.created.v1' : 'order.updated.v1', data, {
    source: `/square/stores/${t.key.storeId}`,
    subject: t.key.storeId,
    identity: `${orderId}|${version ?? asText(order.updated_at) ?? ''}`,
    time: eventTime(occurredAt),
  });
  return { ok: true, event, warnings: ctx.warnings };
}
