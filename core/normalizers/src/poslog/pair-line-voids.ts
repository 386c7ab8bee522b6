import type { LineItem } from '@poshub/model';
import type { MapContext } from '../map-context.ts';
import { type ItemLineDraft, RETURN_ELEMENTS } from './read-item-line.ts';

/** An item line with its direction and void state settled. */
export interface ResolvedLine {
  draft: ItemLineDraft;
  direction: LineItem['direction'];
  voided: boolean;
  /** Line number of the line this compensating void line cancels. */
  compensates?: string;
}

function itemKey(d: ItemLineDraft): string {
  return JSON.stringify([d.element, d.item.sku, d.item.gtin, d.item.description, d.quantity, d.amount.minor]);
}

/**
 * Settles line voids, which POSLog producers write two ways:
 * - NCR: the voided line stays as it was and a later LineItem VoidFlag="true" repeats it with negative
 *   quantity and amount. Both are kept and marked voided (excluded from totals); the compensating line
 *   takes the direction of the line it cancels and records which one.
 * - ARTS: VoidFlag="true" on the line that was voided itself, so it alone is marked voided.
 * Lines simply absent (roqqio) need nothing: sequence gaps are legal.
 * A Return element is a return; a Sale written negative (roqqio's RETOUR) is a return too.
 */
export function pairLineVoids(ctx: MapContext, drafts: readonly ItemLineDraft[]): ResolvedLine[] {
  const resolved: ResolvedLine[] = drafts.map((draft) => ({
    draft,
    direction:
      (RETURN_ELEMENTS as readonly string[]).includes(draft.element) || draft.writtenNegative
        ? 'return'
        : 'sale',
    voided: draft.flaggedVoid,
  }));
  for (const [i, line] of resolved.entries()) {
    if (!line.draft.flaggedVoid) continue;
    const key = itemKey(line.draft);
    let match = -1;
    for (let j = i - 1; j >= 0; j--) {
      const earlier = resolved[j]!;
      if (earlier.voided || earlier.draft.writtenNegative === line.draft.writtenNegative) continue;
      if (itemKey(earlier.draft) === key) {
        match = j;
        break;
      }
    }
    if (match >= 0) {
      const original = resolved[match]!;
      original.voided = true;
      line.direction = original.direction;
      line.compensates = original.draft.lineNumber;
    } else if (line.draft.writtenNegative && line.direction === 'return' && line.draft.element !== 'Return') {
      ctx.warn(
        'poslog.line_void_unpaired',
        line.draft.pointer,
        'a negative void line matches no earlier line of the same item and size: kept as a voided line',
      );
    }
  }
  return resolved;
}
