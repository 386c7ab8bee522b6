import type { RetailTransaction } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import { readMoney } from './read-money.ts';
import { attr, childrenNamed, localName, type XmlElement } from './xml-element.ts';

type Stated = RetailTransaction['stated'];

function fieldOf(totalType: string): keyof Stated | undefined {
  if (totalType === 'TransactionGrandAmount') return 'grand';
  if (totalType === 'TransactionNetAmount') return 'net';
  if (totalType === 'TransactionTaxAmount') return 'tax';
  if (/discount/i.test(totalType)) return 'discount';
  return undefined;
}

/**
 * The transaction's own totals as written (Total TotalType="TransactionGrandAmount", tax, net, discount;
 * vendor-prefixed types such as acs:DiscountTotal count by their local name). The first of each wins.
 */
export function readStatedTotals(ctx: MapContext, rt: XmlElement, currency: string): Stated {
  const stated: Stated = {};
  for (const total of childrenNamed(rt, 'Total')) {
    const field = fieldOf(localName(attr(total, 'TotalType')?.trim() ?? ''));
    if (!field || stated[field]) continue;
    const money = readMoney(ctx, total, currency);
    if (money) stated[field] = money;
  }
  return stated;
}
