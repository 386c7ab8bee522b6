import {
  allocateMinorUnits,
  Big,
  type BigValue,
  currencyInfo,
  type Discount,
  type ExternalId,
  type LineItem,
  type Money,
  makeEvent,
  minorText,
  type RetailTransaction,
  roundToMinor,
  type Tax,
  type Tender,
  TRANSACTION_EVENT_TYPE,
} from '@poshub/model';
import { exactAmount, moneyOfMinor } from '../exact-amount.ts';
import { refuseDocument } from '../json-normalizer.ts';
import { MapContext } from '../map-context.ts';
import type { NormalizedCandidate, NormalizeOptions } from '../normalizer.ts';
import { derivedBusinessDay, eventTime, isTimeZone } from '../timestamp.ts';
import { asArray, asBool, asText, isObject, type VendorJson } from '../vendor-json.ts';
import { mapRSaleLine, type RSaleLineDraft } from './map-sale-line.ts';
import { mapRSalePayment } from './map-sale-payment.ts';

const SYSTEM = 'lightspeed-r';
const ZERO = new Big('0');

/**
 * Maps one R-Series Sale to a canonical retail transaction. `at` is the JSON pointer of the Sale in the input.
 * Sales not completed (open, quotes, abandoned baskets) yield a warning and no event.
 */
export function mapRSale(sale: VendorJson, at: string, options: NormalizeOptions): NormalizedCandidate {
  if (!isObject(sale)) return refuseDocument('document.shape', 'expected a Sale object', at);
  const ctx = new MapContext({ zone: options.timeZone });
  const saleId = ctx.text(asText(sale.saleID), `${at}/saleID`, 'saleID');
  const unit = saleId ? `sale ${saleId}` : undefined;
  const completed = flag(ctx, sale, 'completed', at);
  const voided = flag(ctx, sale, 'voided', at);
  const archived = flag(ctx, sale, 'archived', at);
  if (sale.completed === undefined || sale.completed === null) {
    ctx.error(
      'field.missing',
      `${at}/completed`,
      'completed is missing: cannot tell whether the sale moved money',
    );
  }
  if (completed === false && voided !== true) {
    return {
      ok: false,
      ...(unit ? { unit } : {}),
      problems: [
        {
          code: 'lightspeed-r.not_completed',
          pointer: `${at}/completed`,
          message: `sale ${saleId ?? ''} is not completed${archived ? ' (an archived, abandoned basket)' : ' (open, quote or layaway)'}: it moves no money or stock, so nothing is emitted`,
          severity: 'warning',
        },
      ],
    };
  }

  const currency = ctx.currency(undefined, `${at}/currency`, options.currency);
  const exponent = currency ? (currencyInfo(currency)?.exponent ?? 2) : 2;
  const shopId = nonZero(sale.shopID) ?? options.storeId;
  if (!shopId) ctx.error('field.missing', `${at}/shopID`, 'shopID is missing: pass --store');
  const registerId = nonZero(sale.registerID);
  if (!registerId) ctx.error('field.missing', `${at}/registerID`, 'registerID is missing');
  const sequence = asText(sale.ticketNumber) ?? saleId;
  const zone = shopZone(ctx, sale, at, options.timeZone);
  const timeKey = ['completeTime', 'timeStamp'].find((k) => sale[k] !== undefined && sale[k] !== null);
  if (timeKey === 'timeStamp') {
    ctx.warn(
      'lightspeed-r.complete_time_missing',
      `${at}/timeStamp`,
      'no completeTime: the business day comes from timeStamp, the time the sale was last changed',
    );
  }
  const occurredAt = ctx.timestamp(timeKey ? sale[timeKey] : undefined, `${at}/${timeKey ?? 'completeTime'}`);
  const taxInclusive =
    asBool(sale.isTaxInclusive) ??
    asBool(isObject(sale.TaxCategory) ? sale.TaxCategory.isTaxInclusive : undefined);
  const category = isObject(sale.TaxCategory) ? sale.TaxCategory : undefined;
  const taxNames = { tax1: asText(category?.tax1Name), tax2: asText(category?.tax2Name) };

  const saleLines = isObject(sale.SaleLines) ? asArray(sale.SaleLines.SaleLine) : [];
  const lineAt = (i: number) =>
    isObject(sale.SaleLines) && Array.isArray(sale.SaleLines.SaleLine)
      ? `${at}/SaleLines/SaleLine/${i}`
      : `${at}/SaleLines/SaleLine`;
  const drafts: RSaleLineDraft[] = [];
  if (currency) {
    for (const [i, line] of saleLines.entries()) {
      const draft = mapRSaleLine(ctx, line, lineAt(i), i, currency, taxNames);
      if (draft) drafts.push(draft);
    }
  }
  const salePayments = isObject(sale.SalePayments) ? asArray(sale.SalePayments.SalePayment) : [];
  const paymentAt = (i: number) =>
    isObject(sale.SalePayments) && Array.isArray(sale.SalePayments.SalePayment)
      ? `${at}/SalePayments/SalePayment/${i}`
      : `${at}/SalePayments/SalePayment`;
  const tenders: Tender[] = [];
  if (currency) {
    for (const [i, payment] of salePayments.entries()) {
      const tender = mapRSalePayment(ctx, payment, paymentAt(i), currency);
      if (tender) tenders.push(tender);
    }
  }
  const stated = {
    subtotal: exactAmount(ctx, sale.calcSubtotal, `${at}/calcSubtotal`, 'calcSubtotal', { required: false }),
    discount: exactAmount(ctx, sale.calcDiscount, `${at}/calcDiscount`, 'calcDiscount', { required: false }),
    tax1: exactAmount(ctx, sale.calcTax1, `${at}/calcTax1`, 'calcTax1', { required: false }),
    tax2: exactAmount(ctx, sale.calcTax2, `${at}/calcTax2`, 'calcTax2', { required: false }),
    taxTotal: exactAmount(ctx, sale.taxTotal, `${at}/taxTotal`, 'taxTotal', { required: false }),
    total: exactAmount(
      ctx,
      sale.calcTotal ?? sale.total,
      `${at}/${sale.calcTotal !== undefined ? 'calcTotal' : 'total'}`,
      'calcTotal',
      { required: false },
    ),
    change: exactAmount(ctx, sale.change, `${at}/change`, 'change', { required: false }),
    tips: exactAmount(ctx, sale.calcTips, `${at}/calcTips`, 'calcTips', { required: false }),
  };
  if (ctx.failed || !currency || !shopId || !registerId || !sequence || !occurredAt || !saleId) {
    return { ok: false, problems: ctx.problems, ...(unit ? { unit } : {}) };
  }

  // R-Series computes each line to many places and rounds each sale-level figure once: every group of line
  // amounts is shared out to the figure the sale states (calcSubtotal, calcDiscount, calcTax1, calcTax2).
  const group = (values: BigValue[], statedValue: BigValue | undefined, key: string) =>
    allocateGroup(ctx, values, statedValue, `${at}/${key}`, exponent);
  const subtotals = group(
    drafts.map((d) => d.subtotal),
    stated.subtotal,
    'calcSubtotal',
  );
  const discountParts = drafts.flatMap((d) => [d.lineDiscount, d.saleDiscount]);
  const discountSum = discountParts.reduce((a, b) => a.plus(b), ZERO);
  const discounts = group(
    discountParts,
    stated.discount ? (discountSum.lt('0') ? stated.discount.abs().neg() : stated.discount.abs()) : undefined,
    'calcDiscount',
  );
  const taxes1 = group(
    drafts.map((d) => d.tax1),
    stated.tax1,
    'calcTax1',
  );
  const taxes2 = group(
    drafts.map((d) => d.tax2),
    stated.tax2,
    'calcTax2',
  );
  const money = (minor: bigint | undefined, pointer: string): Money | undefined =>
    moneyOfMinor(ctx, minor ?? 0n, currency, exponent, pointer);

  const lines: LineItem[] = [];
  for (const [i, d] of drafts.entries()) {
    const extended = money(subtotals[i], `${d.pointer}/calcSubtotal`);
    const lineDiscount = money(discounts[2 * i], `${d.pointer}/calcLineDiscount`);
    const saleDiscount = money(discounts[2 * i + 1], `${d.pointer}/calcTransactionDiscount`);
    const tax1 = money(taxes1[i], `${d.pointer}/calcTax1`);
    const tax2 = money(taxes2[i], `${d.pointer}/calcTax2`);
    if (!extended || !lineDiscount || !saleDiscount || !tax1 || !tax2) continue;
    const lineDiscounts: Discount[] = [];
    if (lineDiscount.minor !== 0) lineDiscounts.push({ kind: 'amount', amount: lineDiscount });
    if (saleDiscount.minor !== 0) {
      lineDiscounts.push({ kind: 'other', amount: saleDiscount, description: 'share of the sale discount' });
    }
    const lineTaxes: Tax[] = [];
    for (const [amount, rate, name] of [
      [tax1, d.tax1Rate, d.tax1Name],
      [tax2, d.tax2Rate, d.tax2Name],
    ] as const) {
      if (amount.minor === 0 && !(d.taxable && rate)) continue;
      const tax: Tax = { rateDerived: false, amount, included: taxInclusive === true };
      if (rate) tax.rate = rate;
      if (name) tax.name = name;
      lineTaxes.push(tax);
    }
    const line: LineItem = {
      lineNumber: d.lineNumber,
      direction: d.direction,
      voided: false,
      item: d.item,
      quantity: d.quantity,
      extendedAmount: extended,
      discounts: lineDiscounts,
      taxes: lineTaxes,
      extensions: { [SYSTEM]: d.extensions },
    };
    if (d.unitPrice) line.unitPrice = d.unitPrice;
    if (d.refundsLineId) {
      line.originalLine = {
        kind: 'return',
        ids: [{ scheme: `${SYSTEM}.saleLineID`, value: d.refundsLineId }],
      };
    }
    lines.push(line);
  }

  const fees: RetailTransaction['fees'] = [];
  const tips = stated.tips ? roundToMinor(stated.tips, exponent) : 0n;
  if (tips !== 0n) {
    const tip = money(tips, `${at}/calcTips`);
    if (tip) fees.push({ kind: 'tip', amount: tip, taxes: [] });
  }
  settleChange(ctx, tenders, stated.change, exponent, at);

  const computed =
    [...subtotals, ...discounts, ...(taxInclusive ? [] : [...taxes1, ...taxes2])].reduce(
      (a, b) => a + b,
      0n,
    ) + tips;
  const total = stated.total ? roundToMinor(stated.total, exponent) : computed;
  const kind = transactionKind(completed === true, voided === true, lines);

  const ids: ExternalId[] = [{ scheme: `${SYSTEM}.saleID`, value: saleId }];
  for (const key of ['ticketNumber', 'referenceNumber', 'quoteID']) {
    const value = nonZero(sale[key]);
    if (value) ids.push({ scheme: `${SYSTEM}.${key}`, value });
  }
  const timestamps: Record<string, string> = {};
  for (const key of ['createTime', 'updateTime', 'completeTime', 'timeStamp']) {
    const value = asText(sale[key]);
    if (value) timestamps[key] = value;
  }
  const written: Record<string, string> = {};
  for (const key of [
    'completed',
    'voided',
    'archived',
    'isTaxInclusive',
    'calcSubtotal',
    'calcDiscount',
    'calcTax1',
    'calcTax2',
    'calcTotal',
    'calcPayments',
    'change',
    'balance',
    'referenceNumberSource',
  ]) {
    const value = asText(sale[key]);
    if (value !== undefined) written[key] = value;
  }

  const transaction: RetailTransaction = {
    kind,
    trainingMode: false,
    key: {
      storeId: shopId,
      workstationId: registerId,
      businessDay: derivedBusinessDay(occurredAt, zone),
      sequence,
      businessDaySource: 'derived',
    },
    currency,
    occurredAt,
    channel: 'store',
    lines,
    discounts: [],
    taxes: [],
    fees,
    tenders,
    total: money(total, `${at}/calcTotal`) ?? { minor: 0, currency, exponent },
    stated: statedTotals(stated, currency, exponent),
    links: [],
    source: { system: SYSTEM, format: 'api-v3', ids, timestamps },
    extensions: { [SYSTEM]: written },
  };
  if (sequence) transaction.receiptNumber = sequence;
  const started = asText(sale.createTime);
  if (started && started !== asText(sale[timeKey ?? ''])) {
    const parsed = ctx.timestamp(started, `${at}/createTime`);
    if (parsed) transaction.startedAt = parsed;
  }
  const employee = nonZero(sale.employeeID);
  if (employee) transaction.operator = { id: employee };
  const customer = nonZero(sale.customerID);
  if (customer) {
    transaction.customer = {
      customerId: customer,
      ids: [{ scheme: `${SYSTEM}.customerID`, value: customer }],
    };
  }
  if (ctx.failed) return { ok: false, problems: ctx.problems, ...(unit ? { unit } : {}) };

  const event = makeEvent(TRANSACTION_EVENT_TYPE[kind], transaction, {
    source: `/${SYSTEM}/stores/${shopId}`,
    subject: shopId,
    // saleID never changes, while the derived business day could move if only timeStamp is known.
    identity: `${SYSTEM}|sale|${shopId}|${saleId}`,
    time: eventTime(occurredAt),
  });
  return { ok: true, event, warnings: ctx.warnings, ...(unit ? { unit } : {}) };
}

function flag(
  ctx: MapContext,
  sale: { [key: string]: VendorJson },
  key: string,
  at: string,
): boolean | undefined {
  const value = sale[key];
  if (value === undefined || value === null) return undefined;
  const parsed = asBool(value);
  if (parsed === undefined)
    ctx.error('boolean.invalid', `${at}/${key}`, `${key} "${String(value)}" is not true or false`);
  return parsed;
}

// R-Series writes "0" for "none" in its id fields.
function nonZero(value: VendorJson | undefined): string | undefined {
  const text = asText(value)?.trim();
  return text && text !== '0' ? text : undefined;
}

/** The shop's own time zone (all R-Series timestamps are UTC), else the caller's. */
function shopZone(
  ctx: MapContext,
  sale: { [key: string]: VendorJson },
  at: string,
  fallback: string | undefined,
): string | undefined {
  const zone = isObject(sale.Shop) ? asText(sale.Shop.timeZone) : undefined;
  if (zone && isTimeZone(zone)) {
    if (fallback && fallback !== zone) {
      ctx.warn(
        'lightspeed-r.time_zone_differs',
        `${at}/Shop/timeZone`,
        `the shop's time zone ${zone} is used, not ${fallback}`,
      );
    }
    return zone;
  }
  if (zone)
    ctx.warn('lightspeed-r.time_zone_unknown', `${at}/Shop/timeZone`, `"${zone}" is not an IANA time zone`);
  if (!fallback) {
    ctx.warn(
      'time_zone.missing',
      `${at}/Shop/timeZone`,
      'no shop time zone: the business day is the UTC date; load the Shop relation or pass --time-zone',
    );
  }
  return fallback;
}

function allocateGroup(
  ctx: MapContext,
  values: BigValue[],
  stated: BigValue | undefined,
  pointer: string,
  exponent: number,
): bigint[] {
  const exact = values.reduce((a, b) => a.plus(b), ZERO);
  let target = roundToMinor(exact, exponent);
  if (stated) {
    const statedMinor = roundToMinor(stated, exponent);
    // The stated figure is the sale's own rounding of these lines when it lies within a unit per line.
    const gap = new Big(minorText(statedMinor, exponent)).minus(exact).abs();
    const slack = new Big(minorText(BigInt(Math.max(1, values.length)), exponent));
    if (gap.lte(slack)) target = statedMinor;
    else {
      ctx.warn(
        'lightspeed-r.totals_differ',
        pointer,
        `${stated.toFixed()} differs from the lines (${exact.toFixed()}); the lines are used`,
      );
    }
  }
  return allocateMinorUnits(values, exponent, target);
}

// R-Series stores a cash payment net of the change handed back and the change on the Sale.
function settleChange(
  ctx: MapContext,
  tenders: Tender[],
  change: BigValue | undefined,
  exponent: number,
  at: string,
): void {
  if (!change?.gt('0')) return;
  const cash = tenders.findLast((t) => t.type === 'cash' && t.amount.minor > 0);
  if (!cash) {
    ctx.warn('lightspeed-r.change_without_cash', `${at}/change`, 'change is recorded but no cash was taken');
    return;
  }
  const minor = roundToMinor(change, exponent);
  const given = moneyOfMinor(ctx, minor, cash.amount.currency, exponent, `${at}/change`);
  const tendered = moneyOfMinor(
    ctx,
    BigInt(cash.amount.minor) + minor,
    cash.amount.currency,
    exponent,
    `${at}/change`,
  );
  if (!given || !tendered) return;
  cash.amount = tendered;
  cash.change = given;
}

function transactionKind(
  completed: boolean,
  voided: boolean,
  lines: readonly LineItem[],
): RetailTransaction['kind'] {
  if (voided) return completed ? 'post_void' : 'void';
  const hasSale = lines.some((l) => l.direction === 'sale');
  const hasReturn = lines.some((l) => l.direction === 'return');
  if (hasSale && hasReturn) return 'exchange';
  return hasReturn ? 'return' : 'sale';
}

function statedTotals(
  stated: { [key: string]: BigValue | undefined },
  currency: string,
  exponent: number,
): RetailTransaction['stated'] {
  const toMoney = (value: BigValue | undefined): Money | undefined => {
    if (!value) return undefined;
    const minor = roundToMinor(value, exponent);
    if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) return undefined;
    return { minor: Number(minor) || 0, currency, exponent };
  };
  const result: RetailTransaction['stated'] = {};
  const grand = toMoney(stated.total);
  if (grand) result.grand = grand;
  const tax = toMoney(
    stated.taxTotal ?? (stated.tax1 && stated.tax2 ? stated.tax1.plus(stated.tax2) : undefined),
  );
  if (tax) result.tax = tax;
  const discount = toMoney(stated.discount);
  if (discount) result.discount = discount;
  const net = toMoney(stated.subtotal);
  if (net) result.net = net;
  return result;
}
