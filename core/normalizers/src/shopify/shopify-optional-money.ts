import type { Money } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import type { VendorJson } from '../vendor-json.ts';

/** Money Shopify may leave out or set to null: undefined then, a problem only when present and wrong. */
export function shopifyOptionalMoney(
  ctx: MapContext,
  value: VendorJson | undefined,
  currency: string,
  pointer: string,
): Money | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return ctx.money(value, currency, pointer);
}
