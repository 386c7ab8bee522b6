import { z } from 'zod';
import { ExternalId, SourceId, SourceInfo, Timestamp } from './common.ts';

const Address = z
  .object({
    lines: z.array(z.string()).default([]),
    city: z.string().optional(),
    region: z.string().optional(),
    postalCode: z.string().optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code')
      .optional(),
    default: z.boolean().default(false),
  })
  .strict();

/** Create or update a customer. Every field but the ids is personal data: never logged. */
export const CustomerUpsert = z
  .object({
    customerId: SourceId,
    ids: z.array(ExternalId).default([]),
    givenName: z.string().optional(),
    familyName: z.string().optional(),
    email: z.email().optional(),
    phone: z.string().optional(),
    addresses: z.array(Address).default([]),
    loyaltyAccountId: z.string().optional(),
    marketingConsent: z.boolean().optional(),
    updatedAt: Timestamp.optional(),
    source: SourceInfo,
  })
  .strict()
  .meta({ personalData: true });
export type CustomerUpsert = z.infer<typeof CustomerUpsert>;
