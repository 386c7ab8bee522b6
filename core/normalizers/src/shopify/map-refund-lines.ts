import type { LineItem, Money } from '@poshub/model';
import { extendPrice, negateMoney, normalizeDecimal } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asArray, asBool, asText, isObject } from '../vendor-json.ts';
import { shopifyItem } from './map-order-lines.ts';
import { mapShopifyTaxLines, shopifyTaxRate } from './map-tax-lines.ts';
import { shopifyDiscount } from './shopify-discount.ts';
import { shopifyOptionalMoney } from './shopify-optional-money.ts';
import { prorate, type QuantityShare } from './shopify-prorate.ts';

type JsonObject = { [key: string]: VendorJson };

// restock_type (newer API) wins over the refund-wide `restock` flag; only "no_restock" leaves goods out of stock.
function restocks(line: JsonObject, refund: JsonObject): boolean | undefined {
  const type = asText(line.restock_type);
  if (type) return type !== 'no_restock';
  return asBool(refund.restock);
}

function lineDiscount(
  ctx: MapContext,
  rli: JsonObject,
  sold: JsonObject,
  p: string,
  currency: string,
  gross: Money,
  share: QuantityShare,
): LineItem['discounts'] {
  // Newer refunds state the refunded subtotal after discounts: the discount is what it leaves out.
  const subtotal = shopifyOptionalMoney(ctx, rli.subtotal, currency, `${p}/subtotal`);
  if (subtotal) {
    const off = { ...gross, minor: gross.minor - subtotal.minor };
    return off.minor === 0 ? [] : [shopifyDiscount(off, undefined, -1)];
  }
  const discounts: LineItem['discounts'] = [];
  for (const [j, allocation] of asArray(sold.discount_allocations).entries()) {
    if (!isObject(allocation)) continue;
    const pointer = `${p}/line_item/discount_allocations/${j}/amount`;
    const amount = ctx.money(allocation.amount, currency, pointer);
    if (amount && amount.minor !== 0)
      discounts.push(shopifyDiscount(prorate(ctx, amount, share, pointer), undefined, -1));
  }
  if (discounts.length > 0 || asArray(sold.discount_allocations).length > 0) return discounts;
  const pointer = `${p}/line_item/total_discount`;
  const old = shopifyOptionalMoney(ctx, sold.total_discount, currency, pointer);
  return old && old.minor !== 0 ? [shopifyDiscount(prorate(ctx, old, share, pointer), undefined, -1)] : [];
}

/**
 * Maps `refund_line_items` to return lines: negative quantity and amount, the discount given back positive,
 * the tax given back negative, linked to the order and to the sold line (`line_item_id`). Taxes are read as
 * added on top; the refund mapper flips them to included when only that reading reconciles.
 */
export function mapShopifyRefundLines(
  ctx: MapContext,
  refund: JsonObject,
  at: string,
  currency: string,
  orderId: string,
): LineItem[] {
  const lines: LineItem[] = [];
  for (const [i, rli] of asArray(refund.refund_line_items).entries()) {
    const p = `${at}/refund_line_items/${i}`;
    if (!isObject(rli)) {
      ctx.error('field.invalid', p, 'a refund line item must be an object');
      continue;
    }
    const sold = isObject(rli.line_item) ? rli.line_item : undefined;
    const quantity = ctx.decimal(rli.quantity, `${p}/quantity`);
    if (!sold) {
      ctx.error('field.missing', `${p}/line_item`, 'the refunded line item (with its price) is missing');
      continue;
    }
    const price = ctx.money(sold.price, currency, `${p}/line_item/price`);
    if (quantity === undefined || !price) continue;
    const extended = extendPrice(quantity, String(sold.price), currency);
    if (!extended.ok) {
      ctx.error(extended.error.code, `${p}/line_item/price`, extended.error.message);
      continue;
    }
    const soldQuantity = asText(sold.quantity);
    const share: QuantityShare = {
      part: quantity,
      whole: normalizeDecimal(soldQuantity ?? quantity) ?? quantity,
    };
    const soldLine = asText(rli.line_item_id) ?? asText(sold.id);
    const line: LineItem = {
      lineNumber: asText(rli.id) ?? soldLine ?? String(i + 1),
      direction: 'return',
      voided: false,
      item: shopifyItem(sold),
      quantity: quantity === '0' ? '0' : `-${quantity.replace(/^-/, '')}`,
      unitPrice: { amount: normalizeDecimal(String(sold.price)) ?? '0', currency },
      extendedAmount: negateMoney(extended.value),
      discounts: lineDiscount(ctx, rli, sold, p, currency, extended.value, share),
      taxes: [],
      originalLine: { kind: 'return', ids: [{ scheme: 'shopify.order', value: orderId }] },
    };
    if (soldLine && line.originalLine) line.originalLine.lineNumber = soldLine;
    const restock = restocks(rli, refund);
    if (restock !== undefined) line.restock = restock;
    const note = asText(refund.note);
    if (note) line.returnReason = note;
    const totalTax = shopifyOptionalMoney(ctx, rli.total_tax, currency, `${p}/total_tax`);
    const taxLines = asArray(sold.tax_lines);
    if (totalTax) {
      // The refund states its own tax: keep it whole rather than re-deriving it from the sold line.
      const only = taxLines.length === 1 && isObject(taxLines[0]) ? taxLines[0] : undefined;
      const tax: LineItem['taxes'][number] = {
        amount: negateMoney(totalTax),
        included: false,
        rateDerived: false,
      };
      const name = only ? asText(only.title) : undefined;
      if (name) tax.name = name;
      const rate = only ? shopifyTaxRate(only.rate) : undefined;
      if (rate) tax.rate = rate;
      if (totalTax.minor !== 0) line.taxes.push(tax);
    } else {
      line.taxes = mapShopifyTaxLines(ctx, taxLines, `${p}/line_item/tax_lines`, {
        currency,
        included: false,
        sign: -1,
        share,
      });
    }
    lines.push(line);
  }
  return lines;
}
