import type { ExternalId, TransactionLink } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import { readBusinessDay } from './read-header.ts';
import { attr, child, childText, pointerBelow, type XmlElement } from './xml-element.ts';

type LinkKind = TransactionLink['kind'];

/** The kind of a link from its ARTS ReasonCode ("Return", "Resume", "PostVoid"...), else the fallback. */
export function linkKindOf(reason: string | undefined, fallback: LinkKind): LinkKind {
  if (!reason) return fallback;
  if (/void/i.test(reason)) return 'post_void';
  if (/resum|retriev|recall/i.test(reason)) return 'resume';
  if (/exchange/i.test(reason)) return 'exchange';
  if (/return|refund/i.test(reason)) return 'return';
  if (/order|layaway|pickup/i.test(reason)) return 'order';
  return fallback;
}

/**
 * A TransactionLink (transaction- or line-level, as roqqio writes it inside Sale/Return): the linked
 * transaction's key parts as far as given, its TransactionID/ReceiptNumber, and the linked line.
 * Every part is optional: returns may be unreferenced or point at another system.
 */
export function readLink(ctx: MapContext, el: XmlElement, fallback: LinkKind): TransactionLink {
  const reason = attr(el, 'ReasonCode')?.trim() || childText(el, 'ReasonCode');
  const key: NonNullable<TransactionLink['key']> = {};
  const storeId = childText(el, 'RetailStoreID') ?? childText(el, 'BusinessUnit', 'UnitID');
  const workstationId = childText(el, 'WorkstationID');
  const sequence = childText(el, 'SequenceNumber');
  const businessDay = readBusinessDay(ctx, child(el, 'BusinessDayDate'), pointerBelow(el, 'BusinessDayDate'));
  if (storeId) key.storeId = storeId;
  if (workstationId) key.workstationId = workstationId;
  if (businessDay) key.businessDay = businessDay;
  if (sequence) key.sequence = sequence;
  const ids: ExternalId[] = [];
  for (const name of ['TransactionID', 'ReceiptNumber']) {
    const value = childText(el, name);
    if (value) ids.push({ scheme: `poslog.${name}`, value });
  }
  const lineNumber =
    childText(el, 'LineItemSequenceNumber') ?? childText(el, 'LineItemNumber') ?? childText(el, 'LineNumber');
  const link: TransactionLink = { kind: linkKindOf(reason, fallback), ids };
  if (Object.keys(key).length > 0) link.key = key;
  if (lineNumber) link.lineNumber = lineNumber;
  if (reason) link.reason = reason;
  return link;
}

/** Identity of a link, to list each linked transaction once. */
export function linkIdentity(link: TransactionLink): string {
  return JSON.stringify([link.kind, link.key ?? {}, link.ids]);
}
