import type { Discount, ExternalId, ItemRef, Money, TransactionLink, UnitPrice } from '@poshub/model';
import { extendPrice } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import { readDiscount } from './read-discount.ts';
import { readLink } from './read-link.ts';
import { readMoney } from './read-money.ts';
import { readTax, type TaxDraft, taxIncludedFlag } from './read-tax.ts';
import { unsignedDecimal } from './signed-money.ts';
import {
  attr,
  child,
  childrenNamed,
  childText,
  pointerBelow,
  pointerOf,
  type XmlElement,
} from './xml-element.ts';

/** Line item elements that sell goods (for later delivery or pickup too). */
export const SALE_ELEMENTS = ['Sale', 'SaleForDelivery', 'SaleForPickup'] as const;
/** Line item elements that take goods back. */
export const RETURN_ELEMENTS = ['Return'] as const;

/** An item line as read, before its direction, void pairing and signs are settled. */
export interface ItemLineDraft {
  lineNumber: string;
  pointer: string;
  /** The line element: Sale, Return... */
  element: string;
  /** LineItem VoidFlag (or CancelFlag / DeleteFlag in POSLog 6). */
  flaggedVoid: boolean;
  /** Written with a negative quantity or amount (roqqio returns, NCR compensating voids). */
  writtenNegative: boolean;
  /** Unsigned canonical decimal. */
  quantity: string;
  unitOfMeasure: string | undefined;
  unitPrice: UnitPrice | undefined;
  /** Unsigned. */
  amount: Money;
  /** Unsigned amounts. */
  discounts: Discount[];
  taxes: TaxDraft[];
  item: ItemRef;
  returnReason: string | undefined;
  originalLine: TransactionLink | undefined;
}

const GTIN_TYPES = /gtin|ean|upc|jan/i;

function readItem(el: XmlElement): ItemRef {
  const ids: ExternalId[] = [];
  const item: ItemRef = { ids };
  const itemId = childText(el, 'ItemID');
  if (itemId) {
    item.sku = itemId;
    ids.push({ scheme: 'poslog.ItemID', value: itemId });
  }
  for (const identity of childrenNamed(el, 'POSIdentity')) {
    const value = childText(identity, 'POSItemID');
    if (!value) continue;
    const type = attr(identity, 'POSIDType')?.trim();
    if (type && GTIN_TYPES.test(type)) item.gtin ??= value;
    ids.push({ scheme: `poslog.POSItemID${type ? `.${type}` : ''}`, value });
  }
  for (const level of childrenNamed(el, 'MerchandiseHierarchy')) {
    const value = level.text.trim();
    if (value)
      ids.push({
        scheme: `poslog.MerchandiseHierarchy${attr(level, 'Level') ? `.${attr(level, 'Level')}` : ''}`,
        value,
      });
  }
  // Fixed-width POS descriptions are padded with spaces; the padding carries nothing.
  const description = childText(el, 'Description')?.replace(/\s+$/, '');
  if (description) item.description = description;
  return item;
}

const PRICE_FIELDS = ['ActualSalesUnitPrice', 'RegularSalesUnitPrice', 'UnitListPrice'];

/**
 * The unit price that explains ExtendedAmount (quantity x price), so that price and amount agree: the
 * actual price when ExtendedAmount is after markdowns, the regular one when modifiers come after it.
 * Without such agreement, the actual price, else the regular, else the list price.
 */
function unitPriceOf(
  ctx: MapContext,
  itemEl: XmlElement,
  quantity: string | undefined,
  amount: Money | undefined,
  currency: string,
): string | undefined {
  const prices: string[] = [];
  for (const name of PRICE_FIELDS) {
    const el = child(itemEl, name);
    if (!el) continue;
    const price = ctx.decimal(el.text.trim(), pointerOf(el), 'unit price');
    if (price === undefined) return undefined;
    prices.push(price);
  }
  if (quantity !== undefined && amount) {
    const explains = prices.find((price) => {
      const extended = extendPrice(unsignedDecimal(quantity), unsignedDecimal(price), currency);
      return extended.ok && extended.value.minor === Math.abs(amount.minor);
    });
    if (explains !== undefined) return explains;
  }
  return prices[0];
}

/**
 * Reads a Sale / Return line: item identity (ItemID, POSIdentity GTIN with its leading zeros), quantity
 * (decimal, weights allowed), unit price (the one that explains ExtendedAmount; may keep sub-minor
 * places), ExtendedAmount (or quantity x price when absent), RetailPriceModifier discounts, Tax, and a
 * line-level TransactionLink to the original sale. Amounts stay unsigned here.
 */
export function readItemLine(
  ctx: MapContext,
  lineItem: XmlElement,
  itemEl: XmlElement,
  lineNumber: string,
  currency: string,
  inheritedTaxIncluded: boolean | undefined,
): ItemLineDraft | undefined {
  const qtyEl = child(itemEl, 'Quantity');
  const quantity = qtyEl ? ctx.decimal(qtyEl.text.trim(), pointerOf(qtyEl), 'quantity') : '1';
  const extEl = child(itemEl, 'ExtendedAmount');
  let amount = extEl ? readMoney(ctx, extEl, currency) : undefined;
  const price = unitPriceOf(ctx, itemEl, quantity, amount, currency);
  if (!extEl && quantity !== undefined && price !== undefined) {
    const extended = extendPrice(quantity, price, currency);
    if (extended.ok) amount = extended.value;
    else ctx.error(extended.error.code, pointerBelow(itemEl, 'ExtendedAmount'), extended.error.message);
  } else if (!extEl) {
    ctx.error('money.missing', pointerBelow(itemEl, 'ExtendedAmount'), 'ExtendedAmount is missing');
  }

  const taxIncluded = taxIncludedFlag(itemEl) ?? taxIncludedFlag(lineItem) ?? inheritedTaxIncluded;
  const taxes: TaxDraft[] = [];
  for (const taxEl of childrenNamed(itemEl, 'Tax')) {
    const tax = readTax(ctx, taxEl, currency, taxIncluded);
    if (tax) taxes.push(tax);
  }
  const discounts: Discount[] = [];
  for (const modifier of childrenNamed(itemEl, 'RetailPriceModifier', 'Discount')) {
    const discount = readDiscount(ctx, modifier, currency);
    if (discount) discounts.push(discount);
  }
  const linkEl = child(itemEl, 'TransactionLink') ?? child(lineItem, 'TransactionLink');
  if (quantity === undefined || !amount) return undefined;

  const uom = attr(qtyEl, 'UnitOfMeasureCode') ?? attr(qtyEl, 'UnitOfMeasure');
  return {
    lineNumber,
    pointer: pointerOf(lineItem),
    element: itemEl.name,
    flaggedVoid: false,
    writtenNegative: quantity.startsWith('-') || amount.minor < 0,
    quantity: unsignedDecimal(quantity),
    unitOfMeasure: uom?.trim() || undefined,
    unitPrice: price === undefined ? undefined : { amount: unsignedDecimal(price), currency },
    amount: { ...amount, minor: Math.abs(amount.minor) },
    discounts,
    taxes,
    item: readItem(itemEl),
    returnReason:
      childText(itemEl, 'Reason') ?? childText(itemEl, 'ReasonCode') ?? childText(itemEl, 'ReturnReasonCode'),
    originalLine: linkEl ? readLink(ctx, linkEl, 'return') : undefined,
  };
}
