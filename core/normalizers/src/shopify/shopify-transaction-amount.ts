import type { Money } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asText, isObject } from '../vendor-json.ts';

/**
 * The amount of a Shopify transaction in the shop's currency. A transaction is written in the currency the
 * buyer paid in; when that differs from the shop's, `amount_set.shop_money` holds the shop amount.
 */
export function shopifyTransactionAmount(
  ctx: MapContext,
  tx: { [key: string]: VendorJson },
  at: string,
  currency: string,
): Money | undefined {
  const own = asText(tx.currency)?.toUpperCase();
  if (own === undefined || own === currency) return ctx.money(tx.amount, currency, `${at}/amount`);
  const set = isObject(tx.amount_set) ? tx.amount_set : undefined;
  const shop = set && isObject(set.shop_money) ? set.shop_money : undefined;
  if (shop && asText(shop.currency_code)?.toUpperCase() === currency) {
    return ctx.money(shop.amount, currency, `${at}/amount_set/shop_money/amount`);
  }
  return ctx.error(
    'currency.mismatch',
    `${at}/currency`,
    `the transaction is in ${own} and the order in ${currency}, with no shop-currency amount to use`,
  );
}
