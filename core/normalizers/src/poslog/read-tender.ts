import type { CardDetails, ExternalId, Money, Tender } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import { readMoney } from './read-money.ts';
import { withSign } from './signed-money.ts';
import { tenderTypeOf } from './tender-type-of.ts';
import {
  attr,
  child,
  childText,
  firstChild,
  pointerBelow,
  pointerOf,
  type XmlElement,
} from './xml-element.ts';

/** A tender line as read, before change and cash-back legs are settled across the transaction. */
export interface TenderDraft {
  pointer: string;
  /** Amount signed: a Refund tender is money out; otherwise as written (NCR writes change negative). */
  tender: Tender;
  /** The TenderChange amount, unsigned, when the tender wraps one. */
  change: Money | undefined;
  hasChangeElement: boolean;
  /** A LineItem/TenderChange standing on its own: only change, to put on the tender it belongs to. */
  changeOnly: boolean;
  voided: boolean;
}

// Child elements that say what a tender is when the TenderType attribute does not.
const TYPE_ELEMENTS = [
  'CreditDebit',
  'GiftCard',
  'GiftCertificate',
  'StoredValue',
  'StoreCredit',
  'Voucher',
  'Coupon',
  'Check',
  'Cash',
];
const BRAND_FIELDS = ['CardBrand', 'Brand', 'CreditCardCompanyCode', 'CardCompanyName', 'IssuerName'];
const PAN_FIELDS = [
  'PrimaryAccountNumber',
  'MaskedPrimaryAccountNumber',
  'MaskedCardNumber',
  'CardNumber',
  'AccountNumber',
];
const REFERENCE_FIELDS = [
  'SerialNumber',
  'CardNumber',
  'AccountNumber',
  'VoucherID',
  'CouponNumber',
  'ScanCode',
  'Number',
];

function unsigned(money: Money | undefined): Money | undefined {
  return money && withSign(money, 1);
}

function readCard(tenderEl: XmlElement, lineItem: XmlElement, cardEl: XmlElement | undefined): CardDetails {
  const card: CardDetails = {};
  const cardType = attr(cardEl, 'CardType')?.trim();
  if (cardType) {
    const funding = cardType.toLowerCase();
    if (funding === 'credit' || funding === 'debit' || funding === 'prepaid') card.funding = funding;
    else card.brand = cardType;
  }
  for (const field of BRAND_FIELDS) {
    const brand = childText(cardEl, field) ?? attr(cardEl, field)?.trim();
    if (brand) {
      card.brand = brand;
      break;
    }
  }
  // Only a masked number can reach here (full ones refuse the transaction): keep its last four digits.
  for (const field of PAN_FIELDS) {
    const last4 = /(\d{4})$/.exec(childText(cardEl, field) ?? '')?.[1];
    if (last4) {
      card.last4 = last4;
      break;
    }
  }
  const entryMethod = attr(lineItem, 'EntryMethod')?.trim();
  if (entryMethod) card.entryMethod = entryMethod;
  const authorizationCode = childText(tenderEl, 'Authorization', 'AuthorizationCode');
  if (authorizationCode) card.authorizationCode = authorizationCode;
  return card;
}

/**
 * Reads a Tender line: type (TenderType attribute or the typed child element), Amount (a TypeCode="Refund"
 * tender is money out), card brand and last four only, gift card / voucher reference, Cashback, the
 * TenderChange it wraps, TenderID and authorisation reference.
 */
export function readTender(
  ctx: MapContext,
  lineItem: XmlElement,
  el: XmlElement,
  currency: string,
  voided: boolean,
): TenderDraft | undefined {
  const typedEl = firstChild(el, TYPE_ELEMENTS);
  const sourceType = attr(el, 'TenderType')?.trim() || typedEl?.name;
  const type = tenderTypeOf(sourceType);
  const amount = readMoney(ctx, child(el, 'Amount'), currency, {
    missingPointer: pointerBelow(el, 'Amount'),
  });
  const cashbackEl = child(el, 'Cashback') ?? child(el, 'CashBack') ?? child(typedEl, 'CashBackAmount');
  const cashback = unsigned(readMoney(ctx, cashbackEl, currency, { optional: true }));
  const changeEl = child(el, 'TenderChange');
  const change = changeEl
    ? unsigned(readMoney(ctx, child(changeEl, 'Amount') ?? changeEl, currency, { optional: true }))
    : undefined;
  if (!amount) return undefined;

  const refund = /refund/i.test(attr(el, 'TypeCode') ?? '');
  const ids: ExternalId[] = [];
  const tenderId = childText(el, 'TenderID');
  if (tenderId) ids.push({ scheme: 'poslog.TenderID', value: tenderId });
  const reference = childText(el, 'Authorization', 'ReferenceNumber');
  if (reference) ids.push({ scheme: 'poslog.Authorization.ReferenceNumber', value: reference });

  const tender: Tender = {
    type,
    amount: refund ? withSign(amount, -1) : amount,
    purpose: refund ? 'refund' : 'payment',
    status: 'approved',
    ids,
  };
  if (sourceType) tender.sourceType = sourceType;
  if (cashback && cashback.minor !== 0) tender.cashback = cashback;
  if (type === 'card') tender.card = readCard(el, lineItem, typedEl);
  else if (typedEl && type !== 'cash') {
    for (const field of REFERENCE_FIELDS) {
      const value = childText(typedEl, field);
      if (value) {
        tender.reference = value;
        break;
      }
    }
  }
  return {
    pointer: pointerOf(el),
    tender,
    change,
    hasChangeElement: changeEl !== undefined,
    changeOnly: false,
    voided,
  };
}

/** A LineItem/TenderChange that stands on its own: change handed back for the tender before it. */
export function readStandaloneChange(
  ctx: MapContext,
  el: XmlElement,
  currency: string,
): TenderDraft | undefined {
  const amount = unsigned(
    readMoney(ctx, child(el, 'Amount') ?? el, currency, { missingPointer: pointerBelow(el, 'Amount') }),
  );
  if (!amount) return undefined;
  return {
    pointer: pointerOf(el),
    tender: { type: 'cash', amount: withSign(amount, -1), purpose: 'payment', status: 'approved', ids: [] },
    change: amount,
    hasChangeElement: true,
    changeOnly: true,
    voided: false,
  };
}
