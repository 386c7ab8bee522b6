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
import { percentText } from '../lightspeed-x/map-sale-line.ts';
import type { MapContext } from '../map-context.ts';
import { asBool, asText, isObject, type VendorJson } from '../vendor-json.ts';

/** An R-Series SaleLine read exactly, before its amounts are rounded to the currency (see map-sale.ts). */
export interface RSaleLineDraft {
  pointer: string;
  lineNumber: string;
  direction: 'sale' | 'return';
  quantity: string;
  unitPrice?: UnitPrice | undefined;
  item: ItemRef;
  /** calcSubtotal: quantity x unit price, before discounts, signed like the quantity. */
  subtotal: BigValue;
  /** Effect of the line's own discount on the takings (negative on a sale line). */
  lineDiscount: BigValue;
  /** Effect of the line's share of a sale-level discount (negative on a sale line). */
  saleDiscount: BigValue;
  tax1: BigValue;
  tax2: BigValue;
  taxable: boolean;
  tax1Rate?: string | undefined;
  tax2Rate?: string | undefined;
  tax1Name?: string | undefined;
  tax2Name?: string | undefined;
  /** For a refund line, the SaleLine it refunds (parentSaleLineID). */
  refundsLineId?: string | undefined;
  extensions: Record<string, string | boolean>;
}

const ZERO = new Big('0');
const KEPT = [
  'saleLineID',
  'unitPrice',
  'normalUnitPrice',
  'calcSubtotal',
  'calcLineDiscount',
  'calcTransactionDiscount',
  'calcTax1',
  'calcTax2',
  'calcTotal',
  'parentSaleLineID',
  'discountID',
];

/** Reads one SaleLine; undefined when it cannot be read. `taxNames` come from the sale's TaxCategory. */
export function mapRSaleLine(
  ctx: MapContext,
  line: VendorJson | undefined,
  at: string,
  index: number,
  currency: string,
  taxNames: { tax1?: string | undefined; tax2?: string | undefined },
): RSaleLineDraft | undefined {
  if (!isObject(line)) return ctx.error('document.shape', at, 'a SaleLine must be an object');
  const quantityText = ctx.decimal(asText(line.unitQuantity), `${at}/unitQuantity`);
  const quantity = quantityText === undefined ? undefined : parseDecimal(quantityText);
  const unitPriceRaw = asText(line.unitPrice);
  const unitPrice = exactAmount(ctx, line.unitPrice, `${at}/unitPrice`, 'unit price', { required: false });
  const subtotal = exactAmount(ctx, line.calcSubtotal, `${at}/calcSubtotal`, 'calcSubtotal', {
    required: unitPrice === undefined,
  });
  const lineDiscount = exactAmount(ctx, line.calcLineDiscount, `${at}/calcLineDiscount`, 'calcLineDiscount', {
    required: false,
  });
  const saleDiscount = exactAmount(
    ctx,
    line.calcTransactionDiscount,
    `${at}/calcTransactionDiscount`,
    'calcTransactionDiscount',
    { required: false },
  );
  const tax1 = exactAmount(ctx, line.calcTax1, `${at}/calcTax1`, 'calcTax1', { required: false });
  const tax2 = exactAmount(ctx, line.calcTax2, `${at}/calcTax2`, 'calcTax2', { required: false });
  if (quantity === undefined || quantityText === undefined) return undefined;
  if (subtotal === undefined && unitPrice === undefined) return undefined;

  // R-Series has no return flag: a refund line is the one with a negative quantity.
  const direction = quantity.lt('0') ? 'return' : 'sale';
  const sign = direction === 'sale' ? 1 : -1;
  // Discounts are written as magnitudes; their effect on the takings follows the line's direction.
  const effect = (value: BigValue | undefined) => (value ? value.abs().times(String(-sign)) : ZERO);

  const ids: ExternalId[] = [];
  const itemId = asText(line.itemID);
  if (itemId && itemId !== '0') ids.push({ scheme: 'lightspeed-r.itemID', value: itemId });
  const item: ItemRef = { ids };
  const itemRecord = isObject(line.Item) ? line.Item : undefined;
  const sku = asText(itemRecord?.customSku) ?? asText(itemRecord?.systemSku);
  if (sku) item.sku = sku;
  const gtin = asText(itemRecord?.upc) ?? asText(itemRecord?.ean);
  if (gtin) item.gtin = gtin;
  const description = asText(itemRecord?.description);
  if (description) item.description = description;
  const systemSku = asText(itemRecord?.systemSku);
  if (systemSku) ids.push({ scheme: 'lightspeed-r.systemSku', value: systemSku });

  const lineTaxCategory = isObject(line.TaxCategory) ? line.TaxCategory : undefined;
  const extensions: Record<string, string | boolean> = {};
  for (const key of KEPT) {
    const value = asText(line[key]);
    if (value !== undefined) extensions[key] = value;
  }
  for (const flag of ['isLayaway', 'isSpecialOrder', 'isWorkorder']) {
    if (asBool(line[flag]) === true) extensions[flag] = true;
  }
  const parent = asText(line.parentSaleLineID);
  const rate = (key: string) => {
    const value = parseDecimal(asText(line[key]) ?? '');
    return value && !value.eq('0') ? percentText(value) : undefined;
  };
  return {
    pointer: at,
    lineNumber: asText(line.saleLineID) ?? String(index + 1),
    direction,
    quantity: quantityText,
    unitPrice:
      unitPriceRaw === undefined || unitPrice === undefined
        ? undefined
        : { amount: normalizeDecimal(unitPriceRaw) ?? unitPrice.toFixed(), currency },
    item,
    subtotal: subtotal ?? unitPrice!.times(quantity),
    lineDiscount: effect(lineDiscount),
    saleDiscount: effect(saleDiscount),
    tax1: tax1 ?? ZERO,
    tax2: tax2 ?? ZERO,
    taxable: asBool(line.tax) === true,
    tax1Rate: rate('tax1Rate'),
    tax2Rate: rate('tax2Rate'),
    tax1Name: asText(lineTaxCategory?.tax1Name) ?? taxNames.tax1,
    tax2Name: asText(lineTaxCategory?.tax2Name) ?? taxNames.tax2,
    refundsLineId: direction === 'return' && parent && parent !== '0' ? parent : undefined,
    extensions,
  };
}
