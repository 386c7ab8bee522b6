import type { Money } from '@poshub/model';
import { currencyInfo } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asText, isObject } from '../vendor-json.ts';

/**
 * Reads a Square Money (`{"amount": 1599, "currency": "USD"}`, integer minor units) that must be in the
 * document's currency. Absent money is a problem only when `required`.
 */
export function squareMoney(
  ctx: MapContext,
  value: VendorJson | undefined,
  pointer: string,
  currency: string,
  required = true,
): Money | undefined {
  if (value === undefined || value === null) {
    return required ? ctx.error('money.missing', pointer, 'amount is missing') : undefined;
  }
  if (!isObject(value))
    return ctx.error('money.invalid', pointer, 'a Square amount is {"amount", "currency"}');
  const own = asText(value.currency)?.trim().toUpperCase();
  if (own !== undefined && own !== currency) {
    if (!currencyInfo(own))
      return ctx.error('currency.unknown', `${pointer}/currency`, `"${own}" is not an ISO 4217 currency`);
    return ctx.error(
      'currency.mismatch',
      `${pointer}/currency`,
      `amount is in ${own}, the document is in ${currency}`,
    );
  }
  return ctx.minorMoney(value.amount, currency, `${pointer}/amount`);
}

/** The currency of a Square object: the first Money among `fields` that names one, else the caller's. */
export function squareCurrency(
  ctx: MapContext,
  object: { [key: string]: VendorJson },
  at: string,
  fields: Array<string[]>,
  fallback: string | undefined,
): string | undefined {
  for (const path of fields) {
    let node: VendorJson | undefined = object;
    for (const key of path)
      node = isObject(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
    const code = isObject(node) ? asText(node.currency) : undefined;
    if (code) return ctx.currency(code, `${at}/${path.join('/')}/currency`, fallback);
  }
  return ctx.currency(undefined, at, fallback);
}
