import { z } from 'zod';
import { IsoDate, SourceId, SourceInfo, Timestamp } from './common.ts';
import { Money } from './money/money.ts';

/** End of a business day at a store or till, carrying the till's own totals for reconciliation. */
export const BusinessDayClose = z
  .object({
    storeId: SourceId,
    workstationId: z.string().optional().describe('Absent when the close is for the whole store.'),
    businessDay: IsoDate,
    closedAt: Timestamp,
    tillTotals: z
      .object({
        transactionCount: z.number().int().nonnegative(),
        firstSequence: z.string().optional(),
        lastSequence: z.string().optional(),
        grandTotal: Money,
        returnsTotal: Money.optional(),
        byTender: z.array(z.object({ type: z.string(), amount: Money }).strict()).default([]),
      })
      .strict(),
    source: SourceInfo,
  })
  .strict();
export type BusinessDayClose = z.infer<typeof BusinessDayClose>;
