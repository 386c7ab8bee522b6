import {
  allocateMinorUnits,
  Big,
  type BigValue,
  type CustomerRef,
  currencyInfo,
  type Discount,
  type ExternalId,
  type LineItem,
  type Money,
  makeEvent,
  minorText,
  parseDecimal,
  type RetailTransaction,
  roundToMinor,
  type Tax,
  type Tender,
  TRANSACTION_EVENT_TYPE,
  type TransactionLink,
} from '@poshub/model';
import { exactAmount, moneyOfMinor } from '../exact-amount.ts';
import { refuseDocument } from '../json-normalizer.ts';
import { MapContext } from '../map-context.ts';
import type { NormalizedCandidate, NormalizeOptions } from '../normalizer.ts';
import { derivedBusinessDay, eventTime } from '../timestamp.ts';
import { asText, isObject, type VendorJson } from '../vendor-json.ts';
import { mapSaleLine, percentText, type SaleLineDraft } from './map-sale-line.ts';
import { mapSalePayment, type SalePaymentDraft } from './map-sale-payment.ts';
import { saleStatus } from './sale-status.ts';

const SYSTEM = 'lightspeed-x';
const SUM_KEYS = ['total_price', 'total_tax', 'total_payment', 'total_to_pay', 'total_loyalty'] as const;

/**
 * Maps one X-Series sale to a canonical retail transaction. `at` is the JSON pointer of the sale in the
 * input document. Parked and other pending sales yield a warning and no event: they move no money or stock.
 */
export function mapSale(sale: VendorJson, at: string, options: NormalizeOptions): NormalizedCandidate {
  if (!isObject(sale)) return refuseDocument('document.shape', 'expected a sale object', at);
  const ctx = new MapContext({ zone: options.timeZone });
  const saleId = ctx.text(asText(sale.id), `${at}/id`, 'sale id');
  const unit = saleId ? `sale ${saleId}` : undefined;
  const { status, phase } = saleStatus(sale);
  const version = asText(sale.version);

  if (phase === 'parked' || phase === 'pending') {
    const returnFor = asText(sale.return_for);
    const what = returnFor ? `return of sale ${returnFor}` : 'sale';
    const message =
      phase === 'parked'
        ? `parked ${what} (status ${status}${version ? `, version ${version}` : ''}): it moves no money or stock until it is completed, so nothing is emitted; Lightspeed sends it again when it is closed`
        : `${what} is still pending (status ${status}${version ? `, version ${version}` : ''}): payments taken so far stay with it and nothing is emitted until it is closed`;
    return {
      ok: false,
      ...(unit ? { unit } : {}),
      problems: [
        {
          code: phase === 'parked' ? 'lightspeed-x.parked' : 'lightspeed-x.pending',
          pointer: `${at}/${sale.status !== undefined ? 'status' : 'state'}`,
          message,
          severity: 'warning',
        },
      ],
    };
  }
  if (phase === 'unknown') {
    ctx.error(
      'lightspeed-x.status_unknown',
      `${at}/${sale.status !== undefined ? 'status' : 'state'}`,
      status ? `sale status "${status}" is not one Lightspeed documents` : 'the sale has no status',
    );
  }

  const currency = ctx.currency(asText(sale.currency), `${at}/currency`, options.currency);
  const exponent = currency ? (currencyInfo(currency)?.exponent ?? 2) : 2;
  const storeId = asText(sale.outlet_id) ?? options.storeId;
  if (!storeId) ctx.error('field.missing', `${at}/outlet_id`, 'outlet id is missing: pass --store');
  const registerId = ctx.text(asText(sale.register_id), `${at}/register_id`, 'register id');
  const sequenceKey = ['invoice_sequence', 'receipt_sequence', 'invoice_number', 'receipt_number'].find(
    (k) => asText(sale[k]) !== undefined,
  );
  const sequence = sequenceKey ? asText(sale[sequenceKey]) : undefined;
  if (!sequence)
    ctx.error('field.missing', `${at}/invoice_sequence`, 'invoice sequence or number is missing');
  const dateKey = sale.sale_date !== undefined && sale.sale_date !== null ? 'sale_date' : 'created_at';
  // Lightspeed's API writes UTC, with ("2019-07-24T21:46:18Z") or without ("2019-07-24 21:46:25") a zone.
  const occurredAt = ctx.timestamp(sale[dateKey], `${at}/${dateKey}`, { assumeUtc: true });
  if (!options.timeZone) {
    ctx.warn(
      'time_zone.missing',
      `${at}/${dateKey}`,
      "the business day is the UTC date of the sale: pass --time-zone with the outlet's zone",
    );
  }

  const lineKey = Array.isArray(sale.register_sale_products)
    ? 'register_sale_products'
    : Array.isArray(sale.line_items)
      ? 'line_items'
      : undefined;
  if (!lineKey) ctx.error('field.missing', `${at}/register_sale_products`, 'the sale has no line items');
  const rawLines = lineKey ? (sale[lineKey] as VendorJson[]) : [];
  const drafts: SaleLineDraft[] = [];
  for (const [i, line] of rawLines.entries()) {
    const draft = currency ? mapSaleLine(ctx, line, `${at}/${lineKey}/${i}`, i, currency) : undefined;
    if (draft) drafts.push(draft);
  }
  const paymentKey = Array.isArray(sale.register_sale_payments)
    ? 'register_sale_payments'
    : Array.isArray(sale.payments)
      ? 'payments'
      : undefined;
  const payments: SalePaymentDraft[] = [];
  if (paymentKey && currency) {
    for (const [i, payment] of (sale[paymentKey] as VendorJson[]).entries()) {
      const draft = mapSalePayment(ctx, payment, `${at}/${paymentKey}/${i}`, currency);
      if (draft) payments.push(draft);
    }
  }
  const sums = statedSums(ctx, sale, at);
  if (ctx.failed || !currency || !storeId || !registerId || !sequence || !occurredAt || !saleId) {
    return { ok: false, problems: ctx.problems, ...(unit ? { unit } : {}) };
  }

  // Lightspeed keeps 5 places per line and rounds once, when the sale is paid: the canonical total is the
  // exact sum rounded half away from zero, and the lines share out the rounding by largest remainder.
  const parts = drafts.flatMap((d) => [d.extended, d.discount, ...(d.tax ? [d.tax] : [])]);
  const exactTotal = parts.reduce((a, b) => a.plus(b), new Big('0'));
  const rounded = roundToMinor(exactTotal, exponent);
  const shares = allocateMinorUnits(parts, exponent, rounded);
  const money = (minor: bigint | undefined, pointer: string): Money | undefined =>
    moneyOfMinor(ctx, minor ?? 0n, currency, exponent, pointer);

  const lines: LineItem[] = [];
  const saleDiscounts: Discount[] = [];
  const saleTaxes: Tax[] = [];
  const taxInfo = saleTaxInfo(sale);
  let k = 0;
  for (const d of drafts) {
    const extended = money(shares[k++], `${d.pointer}/price_total`);
    const discount = money(shares[k++], `${d.pointer}/discount`);
    const taxAmount = d.tax ? money(shares[k++], `${d.pointer}/tax_total`) : undefined;
    if (!extended || !discount) continue;
    const tax = taxAmount ? lineTax(d, taxAmount, taxInfo) : undefined;
    if (d.role === 'sale_discount') {
      saleDiscounts.push({
        kind: 'amount',
        amount: { ...extended, minor: extended.minor + discount.minor || 0 },
        description: d.item.description ?? 'sale discount',
      });
      if (tax) saleTaxes.push(tax);
      continue;
    }
    const line: LineItem = {
      lineNumber: d.lineNumber,
      direction: d.direction,
      voided: false,
      item: d.item,
      quantity: d.quantity,
      extendedAmount: extended,
      discounts: discount.minor !== 0 ? [{ kind: 'amount', amount: discount }] : [],
      taxes: tax ? [tax] : [],
      extensions: { [SYSTEM]: d.extensions },
    };
    if (d.unitPrice) line.unitPrice = d.unitPrice;
    lines.push(line);
  }

  const tenders: Tender[] = payments.map((p) => p.tender);
  const paid = tenders.reduce((sum, t) => sum + BigInt(t.amount.minor), 0n);
  let total = rounded;
  let cashRounding: Money | undefined;
  if (phase === 'on_account' && paid !== rounded) {
    // An on-account sale is booked with its balance owed by the customer: that balance is a tender.
    const balance = money(rounded - paid, `${at}/totals/total_to_pay`);
    if (balance) {
      tenders.push({
        type: 'on_account',
        amount: balance,
        purpose: balance.minor < 0 ? 'refund' : 'payment',
        status: 'approved',
        sourceType: `${status} balance`,
        ids: [],
      });
    }
  } else if (paid !== rounded && phase === 'completed') {
    const step = payments.find((p) => p.cashRounding)?.cashRounding;
    const diff = paid - rounded;
    if (step && new Big(minorText(diff < 0n ? -diff : diff, exponent)).times('2').lte(step)) {
      cashRounding = money(diff, `${at}/${paymentKey}`);
      total = paid;
    }
  }

  const kind = transactionKind(phase, lines, asText(sale.return_for));
  crossCheck(ctx, sale, at, sums, drafts, payments, exactTotal, exponent);

  const ids: ExternalId[] = [{ scheme: `${SYSTEM}.sale`, value: saleId }];
  for (const key of [
    'invoice_number',
    'invoice_sequence',
    'receipt_number',
    'receipt_sequence',
    'short_code',
    'client_sale_id',
    'source_id',
  ]) {
    const value = asText(sale[key]);
    if (value) ids.push({ scheme: `${SYSTEM}.${key}`, value });
  }
  const timestamps: Record<string, string> = {};
  for (const key of ['sale_date', 'created_at', 'updated_at', 'deleted_at']) {
    const value = asText(sale[key]);
    if (value) timestamps[key] = value;
  }
  const links: TransactionLink[] = [];
  const returnFor = asText(sale.return_for);
  if (returnFor) links.push({ kind: 'return', ids: [{ scheme: `${SYSTEM}.sale`, value: returnFor }] });

  const exactText = exactTotal.toFixed();
  const transaction: RetailTransaction = {
    kind,
    trainingMode: false,
    key: {
      storeId,
      workstationId: registerId,
      businessDay: derivedBusinessDay(occurredAt, options.timeZone),
      sequence,
      businessDaySource: 'derived',
    },
    currency,
    occurredAt,
    channel: asText(sale.source) === undefined || asText(sale.source) === 'USER' ? 'store' : 'other',
    lines,
    discounts: saleDiscounts,
    taxes: saleTaxes,
    fees: [],
    tenders,
    total: money(total, `${at}/totals`) ?? { minor: 0, currency, exponent },
    stated: statedTotals(sums, currency, exponent),
    links,
    source: {
      system: SYSTEM,
      format: lineKey === 'line_items' ? 'sales-2.0' : 'register-sale',
      ids,
      timestamps,
      ...(version ? { version } : {}),
    },
    extensions: {
      [SYSTEM]: {
        status,
        exactTotal: exactText,
        // What the rounding to the currency added (Lightspeed shows minus this as total_to_pay).
        rounding: new Big(minorText(rounded, exponent)).minus(exactTotal).toFixed(),
        ...(sums.written ? { totals: sums.written } : {}),
      },
    },
  };
  const receipt = asText(sale.receipt_number) ?? asText(sale.invoice_number);
  if (receipt) transaction.receiptNumber = receipt;
  if (cashRounding) transaction.cashRounding = cashRounding;
  const userId = asText(sale.user_id);
  if (userId) transaction.operator = { id: userId };
  const customer = customerRef(sale);
  if (customer) transaction.customer = customer;
  if (ctx.failed) return { ok: false, problems: ctx.problems, ...(unit ? { unit } : {}) };

  const event = makeEvent(TRANSACTION_EVENT_TYPE[kind], transaction, {
    source: `/${SYSTEM}/stores/${storeId}`,
    subject: storeId,
    // The sale id, not the version: a newer version of the same sale is the same event, to be superseded.
    identity: `${SYSTEM}|sale|${saleId}`,
    time: eventTime(occurredAt),
  });
  return { ok: true, event, warnings: ctx.warnings, ...(unit ? { unit } : {}) };
}

// Vend's unit price is ex-tax, so its tax is always added on top.
function lineTax(d: SaleLineDraft, amount: Money, info: { name?: string; rate?: string } | undefined): Tax {
  const tax: Tax = { rateDerived: false, amount, included: false };
  if (d.taxCode) tax.code = d.taxCode;
  const name = d.taxName ?? info?.name;
  if (name) tax.name = name;
  const rate = d.taxRate ?? info?.rate;
  if (rate) tax.rate = rate;
  return tax;
}

function transactionKind(
  phase: string,
  lines: readonly LineItem[],
  returnFor: string | undefined,
): RetailTransaction['kind'] {
  if (phase === 'voided') return 'void';
  const hasSale = lines.some((l) => l.direction === 'sale');
  const hasReturn = lines.some((l) => l.direction === 'return');
  if (hasSale && hasReturn) return 'exchange';
  if (hasReturn || (!hasSale && returnFor)) return 'return';
  return 'sale';
}

/** The one tax named in the sale's `taxes` summary, to name line taxes that carry only an id. */
function saleTaxInfo(sale: { [key: string]: VendorJson }): { name?: string; rate?: string } | undefined {
  if (!Array.isArray(sale.taxes) || sale.taxes.length !== 1 || !isObject(sale.taxes[0])) return undefined;
  const tax = sale.taxes[0];
  const rate = parseDecimal(asText(tax.rate) ?? '');
  const info: { name?: string; rate?: string } = {};
  const name = asText(tax.name);
  if (name) info.name = name;
  if (rate) info.rate = percentText(rate);
  return info;
}

function customerRef(sale: { [key: string]: VendorJson }): CustomerRef | undefined {
  const snapshot = isObject(sale.customer) ? sale.customer : undefined;
  const id = asText(sale.customer_id) ?? asText(snapshot?.id);
  // The walk-in customer is Lightspeed's placeholder for "no customer"; the snapshot's PII is never copied.
  if (!id || asText(snapshot?.customer_code) === 'WALKIN') return undefined;
  return { customerId: id, ids: [{ scheme: `${SYSTEM}.customer`, value: id }] };
}

interface StatedSums {
  exact: Partial<Record<(typeof SUM_KEYS)[number], BigValue>>;
  written?: Record<string, string>;
  pointer: string;
}

// Totals come in a `totals` object (webhooks, API 1.0) or at the top of the sale (API 2.0).
function statedSums(ctx: MapContext, sale: { [key: string]: VendorJson }, at: string): StatedSums {
  const holder = isObject(sale.totals) ? sale.totals : sale;
  const pointer = isObject(sale.totals) ? `${at}/totals` : at;
  const exact: StatedSums['exact'] = {};
  const written: Record<string, string> = {};
  for (const key of SUM_KEYS) {
    const value = holder[key];
    if (value === undefined || value === null) continue;
    const amount = exactAmount(ctx, value, `${pointer}/${key}`, key.replace('_', ' '));
    if (amount) exact[key] = amount;
    const text = asText(value);
    if (text !== undefined) written[key] = text;
  }
  return Object.keys(written).length > 0 ? { exact, written, pointer } : { exact, pointer };
}

function statedTotals(sums: StatedSums, currency: string, exponent: number): RetailTransaction['stated'] {
  const toMoney = (value: BigValue | undefined): Money | undefined => {
    if (!value) return undefined;
    const minor = roundToMinor(value, exponent);
    if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) return undefined;
    return { minor: Number(minor) || 0, currency, exponent };
  };
  const { total_price: net, total_tax: tax } = sums.exact;
  const stated: RetailTransaction['stated'] = {};
  const grand = toMoney(net && tax ? net.plus(tax) : undefined);
  if (grand) stated.grand = grand;
  const taxMoney = toMoney(tax);
  if (taxMoney) stated.tax = taxMoney;
  const netMoney = toMoney(net);
  if (netMoney) stated.net = netMoney;
  return stated;
}

// The document's own totals are kept as written; where they disagree with its lines, say so, change nothing.
function crossCheck(
  ctx: MapContext,
  sale: { [key: string]: VendorJson },
  at: string,
  sums: StatedSums,
  drafts: readonly SaleLineDraft[],
  payments: readonly SalePaymentDraft[],
  exactTotal: BigValue,
  exponent: number,
): void {
  const zero = new Big('0');
  const netLines = drafts.reduce((a, d) => a.plus(d.extended).plus(d.discount), zero);
  const taxLines = drafts.reduce((a, d) => a.plus(d.tax ?? zero), zero);
  const { total_price: net, total_tax: tax, total_to_pay: toPay } = sums.exact;
  if (net && !net.eq(netLines)) {
    ctx.warn(
      'lightspeed-x.totals_differ',
      `${sums.pointer}/total_price`,
      `total_price ${net.toFixed()} differs from the lines (${netLines.toFixed()}); the lines are used`,
    );
  }
  if (tax && !tax.eq(taxLines)) {
    ctx.warn(
      'lightspeed-x.totals_differ',
      `${sums.pointer}/total_tax`,
      `total_tax ${tax.toFixed()} differs from the line taxes (${taxLines.toFixed()}); the line taxes are used`,
    );
  }
  if (toPay && payments.length > 0) {
    const paid = payments.reduce(
      (a, p) => a.plus(new Big(minorText(BigInt(p.tender.amount.minor), exponent))),
      zero,
    );
    const expected = exactTotal.minus(paid);
    if (!toPay.eq(expected)) {
      ctx.warn(
        'lightspeed-x.totals_differ',
        `${sums.pointer}/total_to_pay`,
        `total_to_pay ${toPay.toFixed()} is not the total less the payments (${expected.toFixed()})`,
      );
    }
  }
  const summary = Array.isArray(sale.taxes) ? sale.taxes : [];
  if (tax && summary.length > 0) {
    let sum = zero;
    for (const entry of summary) {
      const value = isObject(entry) ? asText(entry.tax ?? entry.amount) : undefined;
      const parsed = value === undefined ? undefined : parseDecimal(value);
      if (!parsed) return;
      sum = sum.plus(parsed);
    }
    if (!sum.eq(tax)) {
      ctx.warn(
        'lightspeed-x.totals_differ',
        `${at}/taxes`,
        sum.neg().eq(tax)
          ? `the taxes summary (${sum.toFixed()}) has the opposite sign of total_tax (${tax.toFixed()})`
          : `the taxes summary (${sum.toFixed()}) differs from total_tax (${tax.toFixed()})`,
      );
    }
  }
}
