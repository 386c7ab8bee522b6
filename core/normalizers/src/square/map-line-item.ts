import type { Discount, LineItem, Money, Tax, TransactionLink } from '@poshub/model';
import { addMoney, extendPrice, formatMoney, negateMoney, normalizeDecimal, sumMoney } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asArray, asText, isObject } from '../vendor-json.ts';
import { squareDiscountKind, squareTaxIncluded } from './square-adjustments.ts';
import { squareMoney } from './square-money.ts';

type JsonObject = { [key: string]: VendorJson };

/** How to read one Square line: a sold `OrderLineItem` or a returned `OrderReturnLineItem`. */
export interface SquareLineSpec {
  direction: 'sale' | 'return';
  currency: string;
  /** The order's (or the return's) taxes and discounts by uid. */
  taxes: Map<string, JsonObject>;
  discounts: Map<string, JsonObject>;
  fallbackNumber: string;
  link?: TransactionLink | undefined;
}

const text = (m: Money) => `${formatMoney(m)} ${m.currency}`;

function unitOfMeasure(line: JsonObject): string | undefined {
  const unit = isObject(line.quantity_unit) ? line.quantity_unit : undefined;
  const measurement = unit && isObject(unit.measurement_unit) ? unit.measurement_unit : undefined;
  if (!measurement) return undefined;
  const custom = isObject(measurement.custom_unit) ? measurement.custom_unit : undefined;
  if (custom) return asText(custom.abbreviation) ?? asText(custom.name);
  for (const key of ['weight_unit', 'volume_unit', 'length_unit', 'area_unit', 'time_unit', 'generic_unit']) {
    const value = asText(measurement[key]);
    if (value) return value;
  }
  return undefined;
}

/**
 * Maps one Square line. Its amount before discounts is the variation total plus the modifiers' totals: that
 * is the price as rung up, inclusive tax inside. `gross_sales_money` is not used for it because in the US,
 * Canada and Japan Square deducts inclusive tax from it (Europe and Australia keep it in), so only the
 * rung-up price reconciles everywhere. Discounts and taxes are the amounts Square applied to this line.
 */
export function mapSquareLine(
  ctx: MapContext,
  line: JsonObject,
  p: string,
  spec: SquareLineSpec,
): LineItem | undefined {
  const { currency } = spec;
  const sign = spec.direction === 'sale' ? 1 : -1;
  const signed = (m: Money) => (sign > 0 ? m : negateMoney(m));
  const quantity = ctx.decimal(line.quantity, `${p}/quantity`);
  const base = squareMoney(ctx, line.base_price_money, `${p}/base_price_money`, currency, false);
  const variation = squareMoney(
    ctx,
    line.variation_total_price_money,
    `${p}/variation_total_price_money`,
    currency,
    false,
  );
  const grossKey = spec.direction === 'sale' ? 'gross_sales_money' : 'gross_return_money';
  const gross = squareMoney(ctx, line[grossKey], `${p}/${grossKey}`, currency, false);
  const totalMoney = squareMoney(ctx, line.total_money, `${p}/total_money`, currency, false);
  const lineServiceCharge = squareMoney(
    ctx,
    line.total_service_charge_money,
    `${p}/total_service_charge_money`,
    currency,
    false,
  );
  if (quantity === undefined) return undefined;

  const modifiersKey = spec.direction === 'sale' ? 'modifiers' : 'return_modifiers';
  const modifierTotals: Money[] = [];
  const modifierUnits: Money[] = [];
  const modifierNotes: Array<{ name?: string; amount: string }> = [];
  for (const [j, modifier] of asArray(line[modifiersKey]).entries()) {
    if (!isObject(modifier)) continue;
    const mp = `${p}/${modifiersKey}/${j}`;
    const mBase = squareMoney(ctx, modifier.base_price_money, `${mp}/base_price_money`, currency, false);
    const mQuantity = normalizeDecimal(asText(modifier.quantity) ?? '1') ?? '1';
    let mTotal = squareMoney(ctx, modifier.total_price_money, `${mp}/total_price_money`, currency, false);
    if (!mTotal && mBase) {
      const extended = extendPrice(quantity, formatMoney(mBase), currency);
      const times = extended.ok ? extendPrice(mQuantity, formatMoney(extended.value), currency) : extended;
      mTotal = times.ok ? times.value : undefined;
    }
    if (mTotal) modifierTotals.push(mTotal);
    if (mBase) {
      const unit = extendPrice(mQuantity, formatMoney(mBase), currency);
      if (unit.ok) modifierUnits.push(unit.value);
    }
    const name = asText(modifier.name);
    modifierNotes.push({ ...(name ? { name } : {}), amount: formatMoney(mTotal ?? sumMoney(currency, [])) });
  }

  let price: Money | undefined;
  if (variation) price = addMoney(variation, ...modifierTotals);
  else if (base) {
    const extended = extendPrice(quantity, formatMoney(base), currency);
    if (extended.ok) price = addMoney(extended.value, ...modifierTotals);
    else ctx.error(extended.error.code, `${p}/base_price_money`, extended.error.message);
  } else if (gross) price = gross;
  else return ctx.error('money.missing', `${p}/base_price_money`, 'the line has no price');
  if (!price) return undefined;

  const discounts: Discount[] = [];
  for (const [k, applied] of asArray(line.applied_discounts).entries()) {
    if (!isObject(applied)) continue;
    const amount = squareMoney(
      ctx,
      applied.applied_money,
      `${p}/applied_discounts/${k}/applied_money`,
      currency,
    );
    if (!amount) continue;
    const uid = asText(applied.discount_uid);
    const def = uid ? spec.discounts.get(uid) : undefined;
    if (uid && !def)
      ctx.warn(
        'square.discount_unknown',
        `${p}/applied_discounts/${k}/discount_uid`,
        `no discount "${uid}" in the order`,
      );
    const discount: Discount = {
      kind: squareDiscountKind(def),
      amount: sign > 0 ? negateMoney(amount) : amount,
    };
    const percentage = def ? normalizeDecimal(asText(def.percentage) ?? '') : undefined;
    if (percentage) discount.percentage = percentage;
    const promotion = def ? (asText(def.catalog_object_id) ?? asText(def.pricing_rule_id)) : undefined;
    if (promotion) discount.promotionId = promotion;
    const name = def ? asText(def.name) : undefined;
    if (name) discount.description = name;
    discounts.push(discount);
  }

  const taxes: Tax[] = [];
  const unknownTaxes: Tax[] = [];
  for (const [k, applied] of asArray(line.applied_taxes).entries()) {
    if (!isObject(applied)) continue;
    const amount = squareMoney(ctx, applied.applied_money, `${p}/applied_taxes/${k}/applied_money`, currency);
    if (!amount) continue;
    const uid = asText(applied.tax_uid);
    const def = uid ? spec.taxes.get(uid) : undefined;
    if (uid && !def)
      ctx.warn('square.tax_unknown', `${p}/applied_taxes/${k}/tax_uid`, `no tax "${uid}" in the order`);
    const included = squareTaxIncluded(def);
    const tax: Tax = { amount: signed(amount), included: included ?? false, rateDerived: false };
    const name = def ? asText(def.name) : undefined;
    if (name) tax.name = name;
    const rate = def ? normalizeDecimal(asText(def.percentage) ?? '') : undefined;
    if (rate) tax.rate = rate;
    const code = def ? asText(def.catalog_object_id) : undefined;
    if (code) tax.code = code;
    taxes.push(tax);
    if (included === undefined) unknownTaxes.push(tax);
  }

  // Magnitudes of what the line comes to, to check it against the line's own total_money.
  const discountSum = discounts.reduce((s, d) => s + Math.abs(d.amount.minor), 0);
  const additive = taxes.filter((t) => !t.included).reduce((s, t) => s + Math.abs(t.amount.minor), 0);
  const unknown = unknownTaxes.reduce((s, t) => s + Math.abs(t.amount.minor), 0);
  const charge = lineServiceCharge?.minor ?? 0;
  let expected = price.minor - discountSum + additive + charge;
  if (unknownTaxes.length > 0) {
    // UNKNOWN_TAX: read it the way the line's own total says it was applied.
    const inside = totalMoney !== undefined && totalMoney.minor === expected - unknown;
    for (const tax of unknownTaxes) tax.included = inside;
    if (inside) expected -= unknown;
    ctx.warn(
      'square.tax_type_unknown',
      `${p}/applied_taxes`,
      `a tax of unknown type is read as ${inside ? 'inclusive' : 'additive'}, which is how the line total adds up`,
    );
  }
  if (totalMoney && totalMoney.minor !== expected) {
    ctx.warn(
      'square.line_unbalanced',
      `${p}/total_money`,
      `the line's price, discounts and taxes come to ${text({ ...price, minor: expected })} but its total_money is ${text(totalMoney)}`,
    );
  }
  if (gross && gross.minor !== price.minor) {
    const inclusive = taxes.filter((t) => t.included).reduce((s, t) => s + Math.abs(t.amount.minor), 0);
    // US, Canada and Japan: gross sales exclude the inclusive tax. Anything else is a real disagreement.
    if (gross.minor + inclusive !== price.minor) {
      ctx.warn(
        'square.gross_mismatch',
        `${p}/${grossKey}`,
        `${grossKey} is ${text(gross)} but the variation and modifier totals come to ${text(price)}`,
      );
    }
  }

  const name = asText(line.name);
  const variationName = asText(line.variation_name);
  const item: LineItem['item'] = { ids: [] };
  const description = name && variationName ? `${name} - ${variationName}` : (name ?? variationName);
  if (description) item.description = description;
  const catalog = asText(line.catalog_object_id);
  if (catalog) item.ids.push({ scheme: 'square.catalog_object', value: catalog });

  const mapped: LineItem = {
    lineNumber: asText(line.uid) ?? spec.fallbackNumber,
    direction: spec.direction,
    voided: false,
    item,
    quantity: sign > 0 || /^-|^[0.]+$/.test(quantity) ? quantity : `-${quantity}`,
    extendedAmount: signed(price),
    discounts,
    taxes,
  };
  if (base) mapped.unitPrice = { amount: formatMoney(addMoney(base, ...modifierUnits)), currency };
  const unit = unitOfMeasure(line);
  if (unit) mapped.unitOfMeasure = unit;
  if (spec.link) mapped.originalLine = spec.link;
  if (modifierNotes.length > 0) mapped.extensions = { square: { modifiers: modifierNotes } };
  return mapped;
}
