import { z } from 'zod';
import { ExternalId, ItemRef, SourceId, SourceInfo, Timestamp } from './common.ts';
import { Decimal } from './money/decimal.ts';
import { Money } from './money/money.ts';
import { CustomerRef } from './transaction.ts';

/** An omnichannel order event: click and collect, ship from store, or a return in store of an online order. */
export const OmnichannelOrder = z
  .object({
    orderId: SourceId,
    ids: z.array(ExternalId).default([]),
    fulfilment: z.enum([
      'click_and_collect',
      'ship_from_store',
      'ship_to_home',
      'return_in_store',
      'unknown',
    ]),
    status: z
      .string()
      .min(1)
      .describe(
        'Order state in canonical words: created, ready_for_pickup, picked_up, shipped, returned, cancelled...',
      ),
    storeId: z.string().optional().describe('Store that fulfils, or takes the return.'),
    complete: z
      .boolean()
      .default(true)
      .describe('False for a thin notification (id and state only): the full order must be fetched.'),
    lines: z
      .array(
        z.object({ lineId: z.string(), item: ItemRef, quantity: Decimal, amount: Money.optional() }).strict(),
      )
      .default([]),
    total: Money.optional(),
    customer: CustomerRef.optional(),
    occurredAt: Timestamp,
    source: SourceInfo,
  })
  .strict();
export type OmnichannelOrder = z.infer<typeof OmnichannelOrder>;
