import type { CanonicalEvent } from '@poshub/sdk';

/** What an event does to stock, before SKUs and locations are resolved to Shopify ids. */
export type StockChange =
  | {
      kind: 'adjust';
      /** Shopify's reason for the change (its list of possible reasons). */
      reason: string;
      /** Why, as a URI Shopify shows in the inventory history. */
      reference: string;
      deltas: Array<{ sku: string; location: string; delta: number }>;
    }
  | {
      kind: 'set';
      reason: string;
      reference: string;
      levels: Array<{ sku: string; location: string; quantity: number }>;
    };

/** A line Shopify cannot track: it counts whole units only. */
export interface SkippedLine {
  line: string;
  why: string;
}

interface Line {
  lineNumber?: string;
  voided?: boolean;
  item: { sku?: string };
  quantity: string;
  restock?: boolean;
}

// Canonical adjustment reasons -> Shopify's inventory change reasons.
const ADJUSTMENT_REASONS: Record<string, string> = {
  received: 'received',
  receipt: 'received',
  damaged: 'damaged',
  damage: 'damaged',
  shrinkage: 'shrinkage',
  theft: 'shrinkage',
  loss: 'shrinkage',
  quality_control: 'quality_control',
  promotion: 'promotion',
  correction: 'correction',
};

/**
 * Pure: the stock changes an event makes, by SKU and poshub location. A sale takes its lines out of the
 * store's stock (reason `other`: Shopify has no reason for a sale made outside it); a return puts back the lines that are restocked; an adjustment applies its signed deltas;
 * a transfer moves stock out of its origin when shipped and into its destination when received (both when
 * completed); a count sets the on-hand level. Voided lines, lines without a SKU and fractional quantities
 * (weighed goods, which Shopify does not count) are skipped and reported.
 */
export function stockChangesOf(
  event: CanonicalEvent,
  options: { restockWhenUnknown: boolean },
): { change?: StockChange; skipped: SkippedLine[] } {
  const skipped: SkippedLine[] = [];
  const units = (lines: Line[], keep: (l: Line) => boolean = () => true, keepZero = false) =>
    lines.flatMap((l, i) => {
      const name = l.lineNumber ?? String(i + 1);
      if (l.voided || !keep(l)) return [];
      const q = Number(l.quantity);
      if (!l.item.sku) {
        skipped.push({ line: name, why: 'no SKU' });
        return [];
      }
      if (!Number.isInteger(q)) {
        skipped.push({ line: name, why: `fractional quantity ${l.quantity}` });
        return [];
      }
      return q === 0 && !keepZero ? [] : [{ sku: l.item.sku, quantity: q }];
    });
  const reference = `gid://poshub/${event.type.split('.')[0]}/${encodeURIComponent(event.id)}`;
  const data = event.data as Record<string, unknown> & { lines: Line[] };

  switch (event.type) {
    case 'sale.completed.v1':
    case 'return.completed.v1': {
      const key = data.key as { storeId: string };
      const isReturn = event.type === 'return.completed.v1';
      const lines = units(data.lines, (l) => !isReturn || (l.restock ?? options.restockWhenUnknown));
      const deltas = lines.map((l) => ({
        sku: l.sku,
        location: key.storeId,
        delta: isReturn ? Math.abs(l.quantity) : -Math.abs(l.quantity),
      }));
      return deltas.length
        ? { change: { kind: 'adjust', reason: isReturn ? 'restock' : 'other', reference, deltas }, skipped }
        : { skipped };
    }
    case 'inventory.adjusted.v1': {
      const location = data.locationId as string;
      const reason = ADJUSTMENT_REASONS[String(data.reason ?? '').toLowerCase()] ?? 'correction';
      const deltas = units(data.lines).map((l) => ({ sku: l.sku, location, delta: l.quantity }));
      return deltas.length ? { change: { kind: 'adjust', reason, reference, deltas }, skipped } : { skipped };
    }
    case 'inventory.transferred.v1': {
      const status = (data.status as string | undefined) ?? 'completed';
      const lines = units(data.lines);
      const out = status !== 'received';
      const into = status !== 'shipped';
      const deltas = lines.flatMap((l) => [
        ...(out
          ? [{ sku: l.sku, location: data.fromLocationId as string, delta: -Math.abs(l.quantity) }]
          : []),
        ...(into ? [{ sku: l.sku, location: data.toLocationId as string, delta: Math.abs(l.quantity) }] : []),
      ]);
      const reason = status === 'shipped' ? 'movement_created' : 'movement_received';
      return deltas.length ? { change: { kind: 'adjust', reason, reference, deltas }, skipped } : { skipped };
    }
    case 'inventory.counted.v1': {
      const location = data.locationId as string;
      const levels = units(data.lines, undefined, true).map((l) => ({
        sku: l.sku,
        location,
        quantity: l.quantity,
      }));
      return levels.length
        ? { change: { kind: 'set', reason: 'cycle_count_available', reference, levels }, skipped }
        : { skipped };
    }
    default:
      return { skipped };
  }
}
