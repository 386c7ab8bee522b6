import type { Tax } from '@poshub/model';
import { negateMoney, parseDecimal, toDecimalText } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asArray, asText, isObject } from '../vendor-json.ts';
import { prorate, type QuantityShare } from './shopify-prorate.ts';

/** How to read a list of Shopify tax lines: inside the price or on top, and the sign of the line they tax. */
export interface TaxLineOptions {
  currency: string;
  included: boolean;
  /** -1 for the tax of a returned line. */
  sign: 1 | -1;
  /** Share of the tax that applies, for a partial refund of a line (refunded quantity / line quantity). */
  share?: QuantityShare | undefined;
}

/** Shopify writes a tax rate as a fraction (0.06); the model wants a percentage ("6"). */
export function shopifyTaxRate(rate: VendorJson | undefined): string | undefined {
  const text = asText(rate);
  const value = text === undefined ? undefined : parseDecimal(text);
  return value ? toDecimalText(value.times('100')) : undefined;
}

/** Shopify `tax_lines` (`{title, price, rate}`) as canonical taxes, signed like the line they tax. */
export function mapShopifyTaxLines(
  ctx: MapContext,
  taxLines: VendorJson | undefined,
  at: string,
  opts: TaxLineOptions,
): Tax[] {
  const taxes: Tax[] = [];
  for (const [i, line] of asArray(taxLines).entries()) {
    const p = `${at}/${i}`;
    if (!isObject(line)) {
      ctx.error('field.invalid', p, 'a tax line must be an object');
      continue;
    }
    const price = ctx.money(line.price, opts.currency, `${p}/price`);
    if (!price) continue;
    const amount = prorate(ctx, price, opts.share, `${p}/price`);
    const tax: Tax = {
      amount: opts.sign < 0 ? negateMoney(amount) : amount,
      included: opts.included,
      rateDerived: false,
    };
    const name = asText(line.title);
    if (name) tax.name = name;
    if (line.rate !== undefined && line.rate !== null) {
      const rate = shopifyTaxRate(line.rate);
      if (rate === undefined)
        ctx.error('decimal.invalid', `${p}/rate`, `tax rate "${String(line.rate)}" is not a number`);
      else tax.rate = rate;
    }
    taxes.push(tax);
  }
  return taxes;
}
