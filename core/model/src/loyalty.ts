import { z } from 'zod';
import { ExternalId, SourceId, SourceInfo, Timestamp, TransactionKey } from './common.ts';

/** Points accrued, redeemed or adjusted on a loyalty account. */
export const LoyaltyEvent = z
  .object({
    kind: z.enum(['accrual', 'redemption', 'adjustment']),
    programId: z.string().optional(),
    accountId: SourceId,
    points: z.number().int().describe('Signed: + added to the account, - taken from it.'),
    reason: z.string().optional(),
    transaction: z
      .object({ key: TransactionKey.partial().optional(), ids: z.array(ExternalId).default([]) })
      .strict()
      .optional()
      .describe('The purchase or return that caused it, when there is one.'),
    occurredAt: Timestamp,
    source: SourceInfo,
  })
  .strict();
export type LoyaltyEvent = z.infer<typeof LoyaltyEvent>;
