import type { Money, Tender } from '@poshub/model';
import { addMoney } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import type { TenderDraft } from './read-tender.ts';
import { withSign } from './signed-money.ts';

function lastIndexWhere(tenders: readonly Tender[], test: (t: Tender) => boolean): number {
  for (let i = tenders.length - 1; i >= 0; i--) if (test(tenders[i]!)) return i;
  return -1;
}

function giveChange(out: Tender[], index: number, amount: Money): void {
  const target = out[index]!;
  out[index] = { ...target, change: target.change ? addMoney(target.change, amount) : amount };
}

/**
 * Settles the tender legs of one transaction into the model's shape:
 * - change: NCR writes it as a negative Cash tender wrapping a TenderChange (or a bare negative Cash leg
 *   after a Cash payment); it becomes `change` on the payment it belongs to (the last cash payment, else
 *   the last payment). A tender that wraps TenderChange with a positive amount has that change itself.
 * - cash-back: a negative Cash leg that matches a card leg's Cashback stays a separate leg with purpose
 *   "cashback", so the card settlement keeps its full amount and the legs still net to the total.
 * - voided tender lines are left out; any other money out is a refund.
 */
export function settleTenders(ctx: MapContext, drafts: readonly TenderDraft[]): Tender[] {
  const out: Tender[] = [];
  const cashbackLegs = drafts.filter((d) => !d.voided && d.tender.cashback).map((d) => d.tender);
  const usedCashback = new Set<Tender>();
  for (const draft of drafts) {
    const tender = draft.tender;
    if (draft.voided) {
      ctx.warn('poslog.tender_voided', draft.pointer, 'a voided tender line is left out');
      continue;
    }
    const moneyOut = tender.amount.minor < 0 && tender.purpose === 'payment';
    if (moneyOut && (draft.hasChangeElement || tender.type === 'cash')) {
      if (!draft.hasChangeElement) {
        const card = cashbackLegs.find(
          (c) => !usedCashback.has(c) && c.cashback?.minor === -tender.amount.minor,
        );
        if (card) {
          usedCashback.add(card);
          out.push({ ...tender, purpose: 'cashback' });
          continue;
        }
      }
      let index = lastIndexWhere(out, (t) => t.type === 'cash' && t.amount.minor > 0);
      if (index < 0 && draft.hasChangeElement) index = lastIndexWhere(out, (t) => t.amount.minor > 0);
      if (index >= 0) {
        giveChange(out, index, withSign(tender.amount, 1));
        continue;
      }
      if (draft.changeOnly) {
        ctx.warn(
          'poslog.change_unattached',
          draft.pointer,
          'change with no payment before it: kept as cash paid out',
        );
      }
    }
    if (draft.change && draft.change.minor !== 0 && tender.amount.minor >= 0) {
      out.push({ ...tender, change: draft.change });
      continue;
    }
    out.push(
      tender.amount.minor < 0 && tender.purpose === 'payment' ? { ...tender, purpose: 'refund' } : tender,
    );
  }
  return out;
}
