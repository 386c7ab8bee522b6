import type { CanonicalEvent } from '@poshub/sdk';

/** The canonical events this connector takes. */
export type {{System}}Event = Extract<CanonicalEvent, { type: 'sale.completed.v1' | 'return.completed.v1' }>;

/** Whether an event is one this connector maps. */
export function is{{System}}Event(event: CanonicalEvent): event is {{System}}Event {
  return event.type === 'sale.completed.v1' || event.type === 'return.completed.v1';
}

/**
 * One sale or return as {{System}}'s API takes it (`POST /v1/sales`).
 * TODO: replace with the document {{System}} documents, field by field.
 */
export interface {{System}}Sale {
  /** The canonical event id: lets {{System}} (and you) trace a record back to poshub. */
  externalId: string;
  kind: 'sale' | 'return';
  storeId: string;
  workstationId: string;
  businessDay: string;
  receiptNumber: string | null;
  /** When the till closed the transaction: UTC when the source said the offset, else store-local time. */
  occurredAt: string;
  currency: string;
  /** Signed, in minor units (cents): money is never a float. */
  totalMinor: number;
  lines: Array<{
    lineNumber: string;
    sku: string | null;
    description: string | null;
    /** A decimal as text, signed (negative on a return); may be a weight. */
    quantity: string;
    amountMinor: number;
  }>;
}

/** Maps a canonical sale or return to {{System}}'s document. Pure: no I/O, no clock. */
export function to{{System}}Sale(event: {{System}}Event): {{System}}Sale {
  const { data } = event;
  return {
    externalId: event.id,
    kind: event.type === 'return.completed.v1' ? 'return' : 'sale',
    storeId: data.key.storeId,
    workstationId: data.key.workstationId,
    businessDay: data.key.businessDay,
    receiptNumber: data.receiptNumber ?? null,
    occurredAt: data.occurredAt.utc ?? data.occurredAt.local ?? data.occurredAt.raw,
    currency: data.currency,
    totalMinor: data.total.minor,
    // Lines voided in the basket stay in the canonical event for audit; they were never sold.
    lines: data.lines
      .filter((line) => !line.voided)
      .map((line) => ({
        lineNumber: line.lineNumber,
        sku: line.item.sku ?? null,
        description: line.item.description ?? null,
        quantity: line.quantity,
        amountMinor: line.extendedAmount.minor,
      })),
  };
}
