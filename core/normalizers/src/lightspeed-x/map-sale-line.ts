import {
  Big,
  type BigValue,
  type ExternalId,
  type ItemRef,
  normalizeDecimal,
  parseDecimal,
  type UnitPrice,
} from '@poshub/model';
import { exactAmount } from '../exact-amount.ts';
import type { MapContext } from '../map-context.ts';
import { asBool, asText, isObject, type VendorJson } from '../vendor-json.ts';

/** A sale line read exactly, before its amounts are rounded to the currency (see map-sale.ts). */
export interface SaleLineDraft {
  pointer: string;
  lineNumber: string;
  /** `sale_discount`: Lightspeed's discount product, a sale-level discount written as a line. */
  role: 'item' | 'sale_discount';
  direction: 'sale' | 'return';
  quantity: string;
  unitPrice?: UnitPrice | undefined;
  item: ItemRef;
  /** Ex-tax amount before the line discount, signed as it affects the takings. */
  extended: BigValue;
  /** Effect of the line discount on the takings (negative on a sale line), zero when none. */
  discount: BigValue;
  /** Tax on the line, signed like the line; undefined when the line carries no tax. */
  tax: BigValue | undefined;
  taxCode?: string | undefined;
  taxName?: string | undefined;
  /** Tax rate as a percentage text ("7.5"). */
  taxRate?: string | undefined;
  extensions: Record<string, string | boolean>;
}

const ZERO = new Big('0');

/** Reads one line (`register_sale_products` or 2.0 `line_items` entry); undefined when it cannot be read. */
export function mapSaleLine(
  ctx: MapContext,
  line: VendorJson | undefined,
  at: string,
  index: number,
  currency: string,
): SaleLineDraft | undefined {
  if (!isObject(line)) return ctx.error('document.shape', at, 'a sale line must be an object');
  const quantityText = ctx.decimal(line.quantity, `${at}/quantity`);
  const quantity = quantityText === undefined ? undefined : parseDecimal(quantityText);
  const priceRaw = line.price ?? line.unit_price;
  const priceKey = line.price !== undefined ? 'price' : 'unit_price';
  const price = exactAmount(ctx, priceRaw, `${at}/${priceKey}`, 'unit price', { required: false });
  const totalKey = pick(line, ['price_total', 'total_price']);
  const total = totalKey ? exactAmount(ctx, line[totalKey], `${at}/${totalKey}`, 'line total') : undefined;
  const taxTotalKey = pick(line, ['tax_total', 'total_tax']);
  const taxTotal = taxTotalKey
    ? exactAmount(ctx, line[taxTotalKey], `${at}/${taxTotalKey}`, 'line tax')
    : undefined;
  const unitTaxKey = pick(line, ['tax', 'unit_tax']);
  const unitTax = unitTaxKey
    ? exactAmount(ctx, line[unitTaxKey], `${at}/${unitTaxKey}`, 'unit tax', { required: false })
    : undefined;
  const discountTotalKey = pick(line, ['total_discount', 'discount_total']);
  const discountTotal = discountTotalKey
    ? exactAmount(ctx, line[discountTotalKey], `${at}/${discountTotalKey}`, 'line discount')
    : undefined;
  const unitDiscountKey = pick(line, ['discount', 'unit_discount']);
  const unitDiscount = unitDiscountKey
    ? exactAmount(ctx, line[unitDiscountKey], `${at}/${unitDiscountKey}`, 'unit discount', {
        required: false,
      })
    : undefined;
  if (quantity === undefined || quantityText === undefined) return undefined;
  if (total === undefined && price === undefined) {
    return ctx.error('money.missing', `${at}/price_total`, 'the line has neither a total nor a unit price');
  }

  // The line total is what Lightspeed adds up; price x quantity only stands in when it is absent.
  const net = total ?? price!.times(quantity);
  if (total !== undefined && price !== undefined && !unitDiscount?.gt('0')) {
    const expected = price.times(quantity);
    if (expected.minus(total).abs().gt(quantity.abs().times('0.00001'))) {
      ctx.warn(
        'lightspeed-x.line_total_differs',
        `${at}/${totalKey}`,
        `line total ${lineText(total)} is not price x quantity (${lineText(expected)}); the line total is used`,
      );
    }
  }
  const discount = discountTotal
    ? discountTotal.neg()
    : unitDiscount
      ? unitDiscount.times(quantity).neg()
      : ZERO;
  const tax = taxTotal ?? unitTax?.times(quantity);

  const handle = asText(line.handle) ?? asText(line.sku);
  const isReturn = asBool(line.is_return);
  // Lightspeed writes a sale-level discount as its discount product with quantity -1 on a line that is
  // explicitly not a return.
  const role: SaleLineDraft['role'] =
    handle === 'vend-discount' || (isReturn === false && quantity.lt('0')) ? 'sale_discount' : 'item';
  const direction: SaleLineDraft['direction'] =
    isReturn === true ? 'return' : isReturn === false ? 'sale' : quantity.lt('0') ? 'return' : 'sale';

  const ids: ExternalId[] = [];
  const productId = asText(line.product_id) ?? (isObject(line.product) ? asText(line.product.id) : undefined);
  if (productId) ids.push({ scheme: 'lightspeed-x.product', value: productId });
  const item: ItemRef = { ids };
  const sku = asText(line.sku);
  if (sku) item.sku = sku;
  const name = asText(line.name) ?? asText(line.product_name);
  if (name) item.description = name;

  const extensions: Record<string, string | boolean> = {};
  for (const key of [
    'id',
    'sequence',
    'price',
    'unit_price',
    'price_total',
    'total_price',
    'tax',
    'unit_tax',
    'tax_total',
    'total_tax',
    'discount',
    'unit_discount',
    'loyalty_value',
    'status',
  ]) {
    const value = asText(line[key]);
    if (value !== undefined) extensions[key] = value;
  }
  if (isReturn !== undefined) extensions.is_return = isReturn;

  const rate = parseDecimal(asText(line.tax_rate) ?? '');
  return {
    pointer: at,
    lineNumber: String(index + 1),
    role,
    direction,
    quantity: quantityText,
    unitPrice:
      price === undefined || typeof priceRaw !== 'string'
        ? undefined
        : { amount: normalizeDecimal(priceRaw) ?? price.toFixed(), currency },
    item,
    extended: net.minus(discount),
    discount,
    tax,
    taxCode: asText(line.tax_id),
    taxName: asText(line.tax_name),
    taxRate: rate ? percentText(rate) : undefined,
    extensions,
  };
}

/** A rate written as a fraction ("0.07500") as a percentage text ("7.5"). */
export function percentText(fraction: BigValue): string {
  return normalizeDecimal(fraction.times('100').toFixed()) ?? '0';
}

function pick(obj: { [key: string]: VendorJson }, keys: readonly string[]): string | undefined {
  return keys.find((k) => obj[k] !== undefined && obj[k] !== null);
}

function lineText(value: BigValue): string {
  return value.toFixed();
}
