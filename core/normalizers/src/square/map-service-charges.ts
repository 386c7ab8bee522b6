import type { Money, RetailTransaction, Tax } from '@poshub/model';
import { negateMoney, normalizeDecimal } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asArray, asText, isObject } from '../vendor-json.ts';
import { squareTaxIncluded } from './square-adjustments.ts';
import { squareMoney } from './square-money.ts';

type JsonObject = { [key: string]: VendorJson };
type Fee = RetailTransaction['fees'][number];

/**
 * Square service charges (or returned ones, `sign` -1) as fees. The fee amount is `applied_money`, which
 * holds any inclusive tax; its taxes are the ones Square applied to the charge.
 */
export function mapSquareServiceCharges(
  ctx: MapContext,
  charges: VendorJson | undefined,
  at: string,
  currency: string,
  taxes: Map<string, JsonObject>,
  sign: 1 | -1,
): Fee[] {
  const signed = (m: Money) => (sign > 0 ? m : negateMoney(m));
  const fees: Fee[] = [];
  for (const [i, charge] of asArray(charges).entries()) {
    const p = `${at}/${i}`;
    if (!isObject(charge)) continue;
    const amount =
      squareMoney(ctx, charge.applied_money, `${p}/applied_money`, currency, false) ??
      squareMoney(ctx, charge.amount_money, `${p}/amount_money`, currency);
    if (!amount) continue;
    const feeTaxes: Tax[] = [];
    for (const [k, applied] of asArray(charge.applied_taxes).entries()) {
      if (!isObject(applied)) continue;
      const taxAmount = squareMoney(
        ctx,
        applied.applied_money,
        `${p}/applied_taxes/${k}/applied_money`,
        currency,
      );
      if (!taxAmount) continue;
      const uid = asText(applied.tax_uid);
      const def = uid ? taxes.get(uid) : undefined;
      const tax: Tax = {
        amount: signed(taxAmount),
        included: squareTaxIncluded(def) ?? false,
        rateDerived: false,
      };
      const name = def ? asText(def.name) : undefined;
      if (name) tax.name = name;
      const rate = def ? normalizeDecimal(asText(def.percentage) ?? '') : undefined;
      if (rate) tax.rate = rate;
      feeTaxes.push(tax);
    }
    fees.push({ kind: 'service_charge', amount: signed(amount), taxes: feeTaxes });
  }
  return fees;
}
