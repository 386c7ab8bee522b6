import type { LineItem } from '@poshub/model';
import { extendPrice, normalizeDecimal } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asArray, asText, isObject } from '../vendor-json.ts';
import { mapShopifyTaxLines } from './map-tax-lines.ts';
import { shopifyDiscount } from './shopify-discount.ts';

/** The item lines of a Shopify order, and whether Shopify allocated any discount to them. */
export interface ShopifyOrderLines {
  lines: LineItem[];
  allocated: boolean;
  taxed: boolean;
}

/** The item of a Shopify line item: SKU, name and the product and variant ids. */
export function shopifyItem(line: { [key: string]: VendorJson }): LineItem['item'] {
  const item: LineItem['item'] = { ids: [] };
  const sku = asText(line.sku)?.trim();
  if (sku) item.sku = sku;
  const description = asText(line.name) ?? asText(line.title);
  if (description) item.description = description;
  const variant = asText(line.variant_id);
  if (variant) item.ids.push({ scheme: 'shopify.variant', value: variant });
  const product = asText(line.product_id);
  if (product) item.ids.push({ scheme: 'shopify.product', value: product });
  return item;
}

/**
 * Maps `line_items` of a Shopify order. The line number is the Shopify line item id, because refunds
 * point at sold lines by that id (`refund_line_items[].line_item_id`). Discounts come from
 * `discount_allocations` (falling back to the older `total_discount`), taxes from the line's `tax_lines`.
 */
export function mapShopifyOrderLines(
  ctx: MapContext,
  order: { [key: string]: VendorJson },
  at: string,
  currency: string,
  taxesIncluded: boolean,
): ShopifyOrderLines {
  const applications = asArray(order.discount_applications);
  const lines: LineItem[] = [];
  let allocated = false;
  let taxed = false;
  for (const [i, line] of asArray(order.line_items).entries()) {
    const p = `${at}/line_items/${i}`;
    if (!isObject(line)) {
      ctx.error('field.invalid', p, 'a line item must be an object');
      continue;
    }
    const quantity = ctx.decimal(line.quantity, `${p}/quantity`);
    const price = ctx.money(line.price, currency, `${p}/price`);
    if (quantity === undefined || price === undefined) continue;
    const extended = extendPrice(quantity, String(line.price), currency);
    if (!extended.ok) {
      ctx.error(extended.error.code, `${p}/price`, extended.error.message);
      continue;
    }
    const mapped: LineItem = {
      lineNumber: asText(line.id) ?? String(i + 1),
      direction: 'sale',
      voided: false,
      item: shopifyItem(line),
      quantity,
      unitPrice: { amount: normalizeDecimal(String(line.price)) ?? '0', currency },
      extendedAmount: extended.value,
      discounts: [],
      taxes: [],
    };
    const allocations = asArray(line.discount_allocations);
    for (const [j, allocation] of allocations.entries()) {
      if (!isObject(allocation)) continue;
      const amount = ctx.money(allocation.amount, currency, `${p}/discount_allocations/${j}/amount`);
      if (!amount || amount.minor === 0) continue;
      const index = Number(asText(allocation.discount_application_index) ?? Number.NaN);
      mapped.discounts.push(shopifyDiscount(amount, applications[index], 1));
      allocated = true;
    }
    if (allocations.length === 0 && line.total_discount !== undefined && line.total_discount !== null) {
      // Orders older than discount allocations only say how much came off the line.
      const amount = ctx.money(line.total_discount, currency, `${p}/total_discount`);
      if (amount && amount.minor !== 0) {
        mapped.discounts.push(shopifyDiscount(amount, undefined, 1));
        allocated = true;
      }
    }
    const taxLines = asArray(line.tax_lines);
    if (taxLines.length > 0) taxed = true;
    mapped.taxes = mapShopifyTaxLines(ctx, taxLines, `${p}/tax_lines`, {
      currency,
      included: taxesIncluded,
      sign: 1,
    });
    lines.push(mapped);
  }
  return { lines, allocated, taxed };
}
