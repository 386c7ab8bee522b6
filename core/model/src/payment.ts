import { z } from 'zod';
import { ExternalId, SourceId, SourceInfo, Timestamp } from './common.ts';
import { Tender } from './transaction.ts';

/**
 * A payment or refund reported on its own by a PSP or terminal (Square payment, Adyen terminal response).
 * It enriches the tender of the transaction it belongs to, matched by `transactionIds`.
 */
export const PaymentRecord = z
  .object({
    paymentId: SourceId,
    kind: z.enum(['payment', 'refund']),
    storeId: z.string().optional(),
    tender: Tender,
    transactionIds: z.array(ExternalId).default([]).describe('Ids of the order or sale this payment is for.'),
    occurredAt: Timestamp,
    source: SourceInfo,
  })
  .strict();
export type PaymentRecord = z.infer<typeof PaymentRecord>;
