import type {
  CanonicalEvent,
  Discount,
  LineItem,
  RetailTransaction,
  Tax,
  TransactionLink,
} from '@poshub/model';
import { makeEvent, TRANSACTION_EVENT_TYPE, zeroMoney } from '@poshub/model';
import { computedTotal } from '@poshub/rules';
import type { MapContext } from '../map-context.ts';
import type { NormalizeOptions } from '../normalizer.ts';
import { eventTime } from '../timestamp.ts';
import { pairLineVoids, type ResolvedLine } from './pair-line-voids.ts';
import { readCustomer } from './read-customer.ts';
import { readDiscount } from './read-discount.ts';
import { readCurrency, type TransactionHeader } from './read-header.ts';
import { type ItemLineDraft, RETURN_ELEMENTS, readItemLine, SALE_ELEMENTS } from './read-item-line.ts';
import { linkIdentity, readLink } from './read-link.ts';
import { readLoyaltyReward } from './read-loyalty-reward.ts';
import { readStatedTotals } from './read-stated-totals.ts';
import { readTax, type TaxDraft, taxIncludedFlag } from './read-tax.ts';
import { readStandaloneChange, readTender, type TenderDraft } from './read-tender.ts';
import { settleTenders } from './settle-tenders.ts';
import { withSign } from './signed-money.ts';
import {
  attr,
  child,
  childrenNamed,
  childText,
  firstChild,
  flag,
  pointerBelow,
  type XmlElement,
} from './xml-element.ts';

const ITEM_ELEMENTS = [...SALE_ELEMENTS, ...RETURN_ELEMENTS];
/** Elements that carry a post-void's link to the transaction it voids. */
export const POST_VOID_ELEMENTS = ['PostVoid', 'PostVoidTransaction', 'VoidTransaction'];

/** How to read what a document leaves unsaid; tried in order until the lines add up to its grand total. */
interface Reading {
  /** Inclusion of taxes that carry no TaxIncludedInPriceFlag anywhere. */
  taxIncluded: boolean;
  /** ExtendedAmount already net of the line's RetailPriceModifiers (producers differ). */
  discountsInside: boolean;
}

/** Everything read from the line items of a RetailTransaction, before signs are settled. */
interface LineItems {
  items: ItemLineDraft[];
  tenders: TenderDraft[];
  /** Transaction-level Discount lines, unsigned. */
  discounts: Discount[];
  /** Loyalty rewards, signed as written, one per promotion and event. */
  rewards: Discount[];
  taxes: TaxDraft[];
}

function readLineItems(
  ctx: MapContext,
  rt: XmlElement,
  currency: string,
  taxIncluded: boolean | undefined,
): LineItems {
  const read: LineItems = { items: [], tenders: [], discounts: [], rewards: [], taxes: [] };
  const rewardKeys = new Set<string>();
  for (const [i, lineItem] of childrenNamed(rt, 'LineItem').entries()) {
    const lineNumber = childText(lineItem, 'SequenceNumber') ?? String(i + 1);
    const voided = flag(lineItem, 'VoidFlag', 'CancelFlag', 'DeleteFlag') ?? false;
    const itemEl = firstChild(lineItem, ITEM_ELEMENTS);
    if (itemEl) {
      const draft = readItemLine(ctx, lineItem, itemEl, lineNumber, currency, taxIncluded);
      if (draft) read.items.push({ ...draft, flaggedVoid: voided });
      continue;
    }
    const tenderEl = child(lineItem, 'Tender');
    if (tenderEl) {
      const draft = readTender(ctx, lineItem, tenderEl, currency, voided);
      if (draft) read.tenders.push(draft);
      continue;
    }
    // A voided tax, discount, reward or change line counts for nothing.
    if (voided) continue;
    const changeEl = child(lineItem, 'TenderChange');
    if (changeEl) {
      const draft = readStandaloneChange(ctx, changeEl, currency);
      if (draft) read.tenders.push(draft);
      continue;
    }
    const taxEl = child(lineItem, 'Tax');
    if (taxEl) {
      const tax = readTax(ctx, taxEl, currency, taxIncludedFlag(lineItem) ?? taxIncluded);
      if (tax) read.taxes.push(tax);
      continue;
    }
    const discountEl = child(lineItem, 'Discount');
    if (discountEl) {
      const discount = readDiscount(ctx, discountEl, currency);
      if (discount) read.discounts.push(discount);
      continue;
    }
    const rewardEl = child(lineItem, 'LoyaltyReward');
    if (rewardEl) {
      const reward = readLoyaltyReward(ctx, rewardEl, currency);
      // NCR lists one reward twice (detailed and summarized): the document's totals count it once.
      if (reward && !rewardKeys.has(reward.rewardKey)) {
        rewardKeys.add(reward.rewardKey);
        read.rewards.push(reward.discount);
      }
    }
    // Anything else (loyalty membership, CRM variables, signatures, vendor lines) moves no money.
  }
  return read;
}

function signedQuantity(quantity: string, sign: number): string {
  return sign < 0 && !/^[0.]+$/.test(quantity) ? `-${quantity}` : quantity;
}

function buildLine(resolved: ResolvedLine, reading: Reading): LineItem {
  const { draft, direction } = resolved;
  const sign = direction === 'sale' ? 1 : -1;
  let extended = draft.amount;
  if (reading.discountsInside) {
    const off = draft.discounts.reduce((sum, d) => sum + Math.abs(d.amount.minor), 0);
    extended = { ...extended, minor: extended.minor + off };
  }
  const line: LineItem = {
    lineNumber: draft.lineNumber,
    direction,
    voided: resolved.voided,
    item: draft.item,
    quantity: signedQuantity(draft.quantity, sign),
    extendedAmount: withSign(extended, sign),
    discounts: draft.discounts.map((d) => ({ ...d, amount: withSign(d.amount, -sign) })),
    taxes: draft.taxes.map((t) => signedTax(t, sign, reading)),
  };
  if (draft.unitOfMeasure) line.unitOfMeasure = draft.unitOfMeasure;
  if (draft.unitPrice) line.unitPrice = draft.unitPrice;
  if (direction === 'return' && draft.returnReason) line.returnReason = draft.returnReason;
  if (draft.originalLine) line.originalLine = draft.originalLine;
  if (resolved.compensates) line.voidsLine = resolved.compensates;
  return line;
}

function signedTax(draft: TaxDraft, sign: number, reading: Reading): Tax {
  const tax: Tax = {
    ...draft.tax,
    amount: withSign(draft.tax.amount, sign),
    included: draft.includedKnown ? draft.tax.included : reading.taxIncluded,
  };
  if (draft.tax.taxableAmount) tax.taxableAmount = withSign(draft.tax.taxableAmount, sign);
  return tax;
}

function sumMinor(values: Iterable<number>): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum;
}

/** Transaction-level Tax lines that restate the line taxes (same sum) are a summary, not more tax. */
function isTaxSummary(lines: readonly ResolvedLine[], taxes: readonly TaxDraft[]): boolean {
  const live = lines.filter((l) => !l.voided);
  if (taxes.length === 0 || !live.some((l) => l.draft.taxes.length > 0)) return false;
  const onLines = sumMinor(live.flatMap((l) => l.draft.taxes.map((t) => t.tax.amount.minor)));
  return onLines === sumMinor(taxes.map((t) => t.tax.amount.minor));
}

function transactionKind(
  txn: XmlElement,
  rt: XmlElement,
  lines: readonly ResolvedLine[],
  tenders: readonly TenderDraft[],
  links: readonly TransactionLink[],
): RetailTransaction['kind'] {
  const status =
    attr(rt, 'TransactionStatus') ??
    childText(rt, 'TransactionStatus') ??
    attr(txn, 'TransactionStatus') ??
    '';
  const cancelled = flag(txn, 'CancelFlag', 'CancelledFlag') ?? flag(rt, 'CancelFlag', 'CancelledFlag');
  if (cancelled || /cancel/i.test(status)) return 'void';
  const voided = flag(txn, 'VoidedFlag', 'PostVoidFlag') ?? flag(rt, 'VoidedFlag', 'PostVoidFlag');
  if (voided || /void/i.test(status) || links.some((l) => l.kind === 'post_void')) return 'post_void';
  const live = lines.filter((l) => !l.voided);
  const hasSale = live.some((l) => l.direction === 'sale');
  const hasReturn = live.some((l) => l.direction === 'return');
  if (hasSale && hasReturn) return 'exchange';
  if (hasReturn) return 'return';
  if (!hasSale && tenders.some((t) => t.tender.purpose === 'refund')) return 'return';
  return 'sale';
}

function transactionLinks(
  ctx: MapContext,
  txn: XmlElement,
  rt: XmlElement,
  header: TransactionHeader,
): TransactionLink[] {
  const links: TransactionLink[] = [];
  for (const el of [...childrenNamed(txn, 'TransactionLink'), ...childrenNamed(rt, 'TransactionLink')]) {
    links.push(readLink(ctx, el, 'other'));
  }
  const postVoidEl = firstChild(rt, POST_VOID_ELEMENTS) ?? firstChild(txn, POST_VOID_ELEMENTS);
  if (postVoidEl) links.push(readLink(ctx, postVoidEl, 'post_void'));
  if (flag(txn, 'VoidedFlag', 'PostVoidFlag') ?? flag(rt, 'VoidedFlag', 'PostVoidFlag')) {
    // The transaction itself was voided after completion: the post-void points at its own key.
    const { businessDaySource: _, ...key } = header.key;
    links.push({ kind: 'post_void', key, ids: header.source.ids, reason: 'VoidedFlag' });
  }
  return links;
}

/**
 * Maps a RetailTransaction to a sale, return, exchange, void (cancelled before completion) or post-void
 * event. Signs follow the model whatever the producer wrote; line voids are paired; NCR loyalty rewards
 * become transaction discounts; change and cash-back legs are settled. Where the document leaves tax
 * inclusion or discount placement unsaid, the reading that makes the lines add up to its own
 * TransactionGrandAmount is taken (with a warning); the canonical total is that grand amount.
 */
export function mapRetailTransaction(
  ctx: MapContext,
  txn: XmlElement,
  rt: XmlElement,
  header: TransactionHeader,
  options: NormalizeOptions,
): CanonicalEvent | undefined {
  const currency = readCurrency(ctx, txn, options);
  if (!currency) return undefined;
  const read = readLineItems(ctx, rt, currency, taxIncludedFlag(rt) ?? taxIncludedFlag(txn));
  const stated = readStatedTotals(ctx, rt, currency);
  const links = transactionLinks(ctx, txn, rt, header);
  const resolved = pairLineVoids(ctx, read.items);
  const kind = transactionKind(txn, rt, resolved, read.tenders, links);
  const tenders = settleTenders(ctx, read.tenders);
  if (ctx.failed) return undefined;

  for (const line of resolved) {
    const link = line.draft.originalLine;
    if (link && !links.some((l) => linkIdentity(l) === linkIdentity(link))) {
      const { lineNumber: _, ...whole } = link;
      links.push(whole);
    }
  }

  const live = resolved.filter((l) => !l.voided);
  // Transaction-level discounts and taxes follow the direction of the goods: on a pure return they
  // give money back, like the lines.
  const itemsNet = sumMinor(
    live.map((l) => (l.direction === 'sale' ? l.draft.amount.minor : -l.draft.amount.minor)),
  );
  const txnSign = itemsNet < 0 ? -1 : 1;
  const txnTaxes = isTaxSummary(resolved, read.taxes) ? [] : read.taxes;

  const unknownTax = [...live.flatMap((l) => l.draft.taxes), ...txnTaxes].some((t) => !t.includedKnown);
  const lineDiscounts = live.some((l) => l.draft.discounts.length > 0);
  const readings: Reading[] = [{ taxIncluded: false, discountsInside: false }];
  if (unknownTax) readings.push({ taxIncluded: true, discountsInside: false });
  if (lineDiscounts) readings.push({ taxIncluded: false, discountsInside: true });
  if (unknownTax && lineDiscounts) readings.push({ taxIncluded: true, discountsInside: true });

  const build = (reading: Reading): RetailTransaction => {
    const data: RetailTransaction = {
      kind,
      trainingMode: header.trainingMode,
      key: header.key,
      currency,
      occurredAt: header.occurredAt,
      channel: 'store',
      lines: resolved.map((l) => buildLine(l, reading)),
      discounts: [
        ...read.discounts.map((d) => ({ ...d, amount: withSign(d.amount, -txnSign) })),
        ...read.rewards,
      ],
      taxes: txnTaxes.map((t) => signedTax(t, txnSign, reading)),
      fees: [],
      tenders,
      total: zeroMoney(currency),
      stated,
      links,
      source: header.source,
    };
    data.total = { ...data.total, minor: computedTotal(data) };
    return data;
  };

  const grand = stated.grand?.minor;
  const built = readings.map((reading) => ({ reading, data: build(reading) }));
  const { reading, data } =
    built.find((b) => grand === undefined || Math.abs(grand) === Math.abs(b.data.total.minor)) ?? built[0]!;
  if (reading.taxIncluded) {
    ctx.warn(
      'poslog.tax_included_inferred',
      pointerBelow(rt, 'Total'),
      'no TaxIncludedInPriceFlag: taxes read as included in the price, the only reading that adds up to TransactionGrandAmount',
    );
  }
  if (reading.discountsInside) {
    ctx.warn(
      'poslog.discount_in_extended_amount',
      pointerBelow(rt, 'Total'),
      'ExtendedAmount read as net of its RetailPriceModifiers, the only reading that adds up to TransactionGrandAmount',
    );
  }
  if (stated.grand && grand !== undefined && grand !== data.total.minor) {
    if (grand === -data.total.minor) {
      ctx.warn(
        'poslog.total_sign',
        pointerBelow(rt, 'Total'),
        'TransactionGrandAmount is written with the opposite sign',
      );
    } else if (kind === 'void' || kind === 'post_void') {
      ctx.warn(
        'poslog.total_mismatch',
        pointerBelow(rt, 'Total'),
        `TransactionGrandAmount differs from the lines of this ${kind === 'void' ? 'cancelled' : 'voided'} transaction: the total is what the lines come to`,
      );
    } else {
      // The document contradicts itself: keep its grand total so the rules report the difference.
      data.total = stated.grand;
    }
  }

  const customer = readCustomer(txn);
  if (customer) data.customer = customer;
  if (header.startedAt) data.startedAt = header.startedAt;
  if (header.operator) data.operator = header.operator;
  if (header.receiptNumber) data.receiptNumber = header.receiptNumber;

  return makeEvent(TRANSACTION_EVENT_TYPE[kind], data, {
    source: header.eventSource,
    subject: header.key.storeId,
    identity: header.identity,
    time: eventTime(header.occurredAt),
  });
}
