import type { Money, Tax } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import { readMoney } from './read-money.ts';
import { attr, child, childText, flag, pointerBelow, type XmlElement } from './xml-element.ts';

/** A tax as read, before its sign is set from the line or transaction it belongs to. */
export interface TaxDraft {
  /** Amounts unsigned; `included` provisional when `includedKnown` is false. */
  tax: Tax;
  includedKnown: boolean;
}

/** The TaxIncludedInPriceFlag of an element, as an attribute or a child element. */
export function taxIncludedFlag(el: XmlElement | undefined): boolean | undefined {
  return flag(el, 'TaxIncludedInPriceFlag');
}

function unsigned(money: Money | undefined): Money | undefined {
  return money && { ...money, minor: Math.abs(money.minor) };
}

/**
 * A Tax element (on a Sale/Return line or as a transaction-level Tax line item): Amount, TaxableAmount,
 * Percent as the source stated them. Inclusion comes from TaxIncludedInPriceFlag on the tax, else from
 * the enclosing line or transaction (`inherited`); when nobody says, it stays unknown for reconciliation.
 */
export function readTax(
  ctx: MapContext,
  el: XmlElement,
  currency: string,
  inherited: boolean | undefined,
): TaxDraft | undefined {
  const amount = unsigned(
    readMoney(ctx, child(el, 'Amount'), currency, { missingPointer: pointerBelow(el, 'Amount') }),
  );
  const taxableAmount = unsigned(readMoney(ctx, child(el, 'TaxableAmount'), currency, { optional: true }));
  const percent = childText(el, 'Percent');
  const rate =
    percent === undefined ? undefined : ctx.decimal(percent, pointerBelow(el, 'Percent'), 'tax percent');
  if (!amount) return undefined;
  const own = taxIncludedFlag(el);
  const included = own ?? inherited;
  const tax: Tax = {
    rateDerived: false,
    amount,
    included: included ?? false,
  };
  const code =
    childText(el, 'TaxRuleID') ?? childText(el, 'TaxGroupID') ?? attr(el, 'TaxID') ?? attr(el, 'TaxType');
  const name = childText(el, 'TaxAuthority') ?? attr(el, 'TaxDescription') ?? attr(el, 'TaxType');
  if (code) tax.code = code;
  if (name) tax.name = name;
  if (rate !== undefined) tax.rate = rate;
  if (taxableAmount) tax.taxableAmount = taxableAmount;
  return { tax, includedKnown: included !== undefined };
}
