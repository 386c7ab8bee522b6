import type { CanonicalEvent } from '@poshub/model';
import { MapContext } from '../map-context.ts';
import type { NormalizedCandidate, NormalizeOptions } from '../normalizer.ts';
import { controlEvent, mapControlTransaction } from './map-control-transaction.ts';
import { mapRetailTransaction, POST_VOID_ELEMENTS } from './map-retail-transaction.ts';
import { readHeader } from './read-header.ts';
import type { PoslogDocumentInfo } from './stream-poslog.ts';
import { attr, child, childText, firstChild, flag, pointerOf, type XmlElement } from './xml-element.ts';

const CONTROL_BODIES = ['ControlTransaction', 'TenderControlTransaction'];

function isSuspended(txn: XmlElement, rt: XmlElement): boolean {
  const status = attr(rt, 'TransactionStatus') ?? childText(rt, 'TransactionStatus') ?? '';
  return (
    (flag(txn, 'SuspendedFlag', 'SuspendFlag') ?? flag(rt, 'SuspendedFlag', 'SuspendFlag') ?? false) ||
    /suspend/i.test(status)
  );
}

/**
 * Maps one POSLog <Transaction> to a canonical event candidate:
 * - RetailTransaction: sale, return, exchange, void or post-void;
 * - a suspended RetailTransaction (SuspendedFlag or status Suspended): a control event "suspend", since no
 *   money moved; the resumed transaction later carries the sale with a resume link;
 * - ControlTransaction / TenderControlTransaction: a control event, except a PostVoid, which is a post-void;
 * - any other transaction type: a control event "other" naming it, with a warning, never a refusal.
 */
export function mapTransaction(
  txn: XmlElement,
  doc: PoslogDocumentInfo,
  options: NormalizeOptions,
): NormalizedCandidate {
  const ctx = new MapContext({ zone: options.timeZone });
  const unit = pointerOf(txn);
  const retail = child(txn, 'RetailTransaction');
  const control = firstChild(txn, CONTROL_BODIES);
  const other = txn.children.find((c) => /Transaction$|Log$/.test(c.name));
  const header = readHeader(ctx, txn, retail ?? control ?? other, doc, options);
  let event: CanonicalEvent | undefined;
  if (header) {
    if (retail && isSuspended(txn, retail)) {
      const status = attr(retail, 'TransactionStatus') ?? childText(retail, 'TransactionStatus');
      event = controlEvent(header, 'suspend', { reason: status ?? 'SuspendedFlag' });
    } else if (retail) {
      event = mapRetailTransaction(ctx, txn, retail, header, options);
    } else if (control && firstChild(control, POST_VOID_ELEMENTS)) {
      // Some producers log a post-void as a control transaction: it still reverses a sale.
      event = mapRetailTransaction(ctx, txn, control, header, options);
    } else if (control) {
      event = mapControlTransaction(ctx, txn, control, header, options);
    } else {
      const name = other?.name ?? 'no transaction body';
      ctx.warn(
        'poslog.transaction_type_unmapped',
        other ? pointerOf(other) : unit,
        `${name} is not mapped to a canonical transaction: recorded as a control event`,
      );
      event = controlEvent(header, 'other', { reason: name });
    }
  }
  if (ctx.failed || !event) return { ok: false, problems: ctx.problems, unit };
  return { ok: true, event, warnings: ctx.warnings, unit };
}
