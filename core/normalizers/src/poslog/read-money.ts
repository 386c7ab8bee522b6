import type { Money } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import { attr, pointerOf, type XmlElement } from './xml-element.ts';

/**
 * Money from an element's text, exact (never through a float), in the element's own `Currency` attribute
 * when it has one, else in the transaction's currency. A missing element is a problem at `missingPointer`
 * unless `optional`, when it is simply undefined.
 */
export function readMoney(
  ctx: MapContext,
  el: XmlElement | undefined,
  currency: string,
  opts: { missingPointer?: string; optional?: boolean } = {},
): Money | undefined {
  if (!el || el.text.trim() === '') {
    if (opts.optional) return undefined;
    return ctx.error('money.missing', el ? pointerOf(el) : (opts.missingPointer ?? ''), 'amount is missing');
  }
  const own = attr(el, 'Currency')?.trim().toUpperCase();
  return ctx.money(el.text, own || currency, pointerOf(el));
}
