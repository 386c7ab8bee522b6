import type { LineItem, RetailTransaction, TransactionLink } from '@poshub/model';
import { negateMoney } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import type { VendorJson } from '../vendor-json.ts';
import { asArray, asText, isObject } from '../vendor-json.ts';
import { mapSquareLine } from './map-line-item.ts';
import { mapSquareServiceCharges } from './map-service-charges.ts';
import { byUid } from './square-adjustments.ts';
import { squareMoney } from './square-money.ts';

type JsonObject = { [key: string]: VendorJson };

/** What the `returns[]` of a Square order hold: return lines, returned charges and tips, and the links. */
export interface SquareReturns {
  lines: LineItem[];
  fees: RetailTransaction['fees'];
  links: TransactionLink[];
}

/**
 * Maps `returns[]`: one entry per sale order returned from. Each return line links to its source order
 * (`source_order_id`) and sold line (`source_line_item_uid`); an unlinked return has no source order and
 * so no link. `exchange` names the link kind when the same order also sells.
 */
export function mapSquareReturns(
  ctx: MapContext,
  order: JsonObject,
  at: string,
  currency: string,
  exchange: boolean,
): SquareReturns {
  const result: SquareReturns = { lines: [], fees: [], links: [] };
  const kind = exchange ? 'exchange' : 'return';
  for (const [r, entry] of asArray(order.returns).entries()) {
    const rp = `${at}/returns/${r}`;
    if (!isObject(entry)) {
      ctx.error('field.invalid', rp, 'a return must be an object');
      continue;
    }
    const sourceOrder = asText(entry.source_order_id);
    const ids = sourceOrder ? [{ scheme: 'square.order', value: sourceOrder }] : [];
    if (sourceOrder) result.links.push({ kind, ids });
    const taxes = byUid(entry.return_taxes);
    const discounts = byUid(entry.return_discounts);
    for (const [j, line] of asArray(entry.return_line_items).entries()) {
      const p = `${rp}/return_line_items/${j}`;
      if (!isObject(line)) continue;
      const sourceLine = asText(line.source_line_item_uid);
      const link: TransactionLink | undefined =
        sourceOrder || sourceLine
          ? { kind, ids, ...(sourceLine ? { lineNumber: sourceLine } : {}) }
          : undefined;
      const mapped = mapSquareLine(ctx, line, p, {
        direction: 'return',
        currency,
        taxes,
        discounts,
        fallbackNumber: `r${r + 1}.${j + 1}`,
        link,
      });
      if (mapped) result.lines.push(mapped);
    }
    result.fees.push(
      ...mapSquareServiceCharges(
        ctx,
        entry.return_service_charges,
        `${rp}/return_service_charges`,
        currency,
        taxes,
        -1,
      ),
    );
    for (const [k, tip] of asArray(entry.return_tips).entries()) {
      if (!isObject(tip)) continue;
      const amount = squareMoney(ctx, tip.applied_money, `${rp}/return_tips/${k}/applied_money`, currency);
      if (amount && amount.minor !== 0)
        result.fees.push({ kind: 'tip', amount: negateMoney(amount), taxes: [] });
    }
  }
  return result;
}
