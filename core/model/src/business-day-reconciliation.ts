import { z } from 'zod';
import { IsoDate, SourceId } from './common.ts';
import { Money } from './money/money.ts';

/** A tender type with its net amount (tendered less change, declined legs left out). */
const TenderAmount = z.object({ type: z.string(), amount: Money }).strict();

/** Why a till's close and what the hub received disagree. */
export const ReconciliationDifference = z
  .object({
    code: z.enum([
      'transaction_count',
      'grand_total',
      'returns_total',
      'tender_total',
      'missing_sequences',
      'sequence_outside_range',
      'other_currency',
    ]),
    message: z.string(),
    till: z.union([Money, z.number().int(), z.string()]).optional().describe("The till's figure."),
    received: z.union([Money, z.number().int(), z.string()]).optional().describe('What the hub received.'),
  })
  .strict();
export type ReconciliationDifference = z.infer<typeof ReconciliationDifference>;

/**
 * The hub's comparison of a till's (or a store's) business-day close with what it received for that day.
 * A new version is emitted whenever the comparison changes (a late transaction that closes a gap, a corrected
 * close); the same inputs never emit twice.
 */
export const BusinessDayReconciliation = z
  .object({
    storeId: SourceId,
    workstationId: z.string().optional().describe('Absent when the close was for the whole store.'),
    businessDay: IsoDate,
    version: z.number().int().min(1).describe('1 for the first result of this close, then +1 per change.'),
    status: z.enum(['matched', 'mismatched']),
    closeEventId: z.string().describe('The business_day.closed.v1 event compared (the last one received).'),
    reconciledAt: z.iso.datetime({ offset: false }),
    till: z
      .object({
        transactionCount: z.number().int().nonnegative(),
        firstSequence: z.string().optional(),
        lastSequence: z.string().optional(),
        grandTotal: Money,
        returnsTotal: Money.optional(),
        byTender: z.array(TenderAmount),
      })
      .strict()
      .describe("The till's own totals, as its close stated them."),
    received: z
      .object({
        transactionCount: z
          .number()
          .int()
          .nonnegative()
          .describe('Retail transactions (sale, return, exchange, void, post-void), training excluded.'),
        byKind: z.record(z.string(), z.number().int().nonnegative()),
        control: z.number().int().nonnegative().describe('Control transactions (sign-on, no-sale...).'),
        training: z.number().int().nonnegative(),
        firstSequence: z.string().optional(),
        lastSequence: z.string().optional(),
        grandTotal: Money.describe('Sum of the totals of sales, returns and exchanges not post-voided.'),
        returnsTotal: Money,
        byTender: z.array(TenderAmount),
      })
      .strict()
      .describe('What the hub received for the same store, workstation and day.'),
    missing: z
      .array(
        z
          .object({
            workstationId: z.string(),
            sequences: z.array(z.string()),
            truncated: z.boolean().describe('More are missing than listed (500 at most).'),
          })
          .strict(),
      )
      .describe('Sequence numbers never received, per workstation.'),
    differences: z.array(ReconciliationDifference),
  })
  .strict();
export type BusinessDayReconciliation = z.infer<typeof BusinessDayReconciliation>;
