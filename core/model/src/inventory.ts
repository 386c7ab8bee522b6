import { z } from 'zod';
import { ItemRef, SourceId, SourceInfo, Timestamp } from './common.ts';
import { Decimal } from './money/decimal.ts';

const InventoryLine = z
  .object({
    item: ItemRef,
    quantity: Decimal.describe(
      'Signed delta for an adjustment; moved quantity for a transfer; level for a count.',
    ),
    unitOfMeasure: z.string().optional(),
    state: z.string().optional().describe('Stock state, e.g. "in_stock", "waste", "returned_by_customer".'),
  })
  .strict();

/** A stock delta at one location (receipt, shrinkage, damage, correction). */
export const InventoryAdjustment = z
  .object({
    locationId: SourceId,
    reason: z.string().optional(),
    reference: z
      .string()
      .optional()
      .describe('Source reference, used to make the adjustment idempotent downstream.'),
    occurredAt: Timestamp,
    lines: z.array(InventoryLine).min(1),
    source: SourceInfo,
  })
  .strict();
export type InventoryAdjustment = z.infer<typeof InventoryAdjustment>;

/** Stock moved from one location to another. */
export const InventoryTransfer = z
  .object({
    fromLocationId: SourceId,
    toLocationId: SourceId,
    status: z.enum(['shipped', 'received', 'completed']).default('completed'),
    reference: z.string().optional(),
    occurredAt: Timestamp,
    lines: z.array(InventoryLine).min(1),
    source: SourceInfo,
  })
  .strict();
export type InventoryTransfer = z.infer<typeof InventoryTransfer>;

/** An absolute stock level observed at one location (physical count, or a level reported by a platform). */
export const InventoryCount = z
  .object({
    locationId: SourceId,
    reference: z.string().optional(),
    occurredAt: Timestamp,
    lines: z.array(InventoryLine).min(1),
    source: SourceInfo,
  })
  .strict();
export type InventoryCount = z.infer<typeof InventoryCount>;
