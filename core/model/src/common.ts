import { z } from 'zod';

/** A calendar date YYYY-MM-DD (a business day is one of these, chosen by the POS, not derived from a clock). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date written YYYY-MM-DD')
  .describe('Calendar date, YYYY-MM-DD.');

/** A short identifier from a source system, kept as text (leading zeros matter). */
export const SourceId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');

/** An identifier the source gave, with the scheme that names where it comes from. */
export const ExternalId = z
  .object({
    scheme: z
      .string()
      .min(1)
      .describe('Where the id comes from, e.g. "poslog.TransactionID", "shopify.order".'),
    value: SourceId,
  })
  .strict();
export type ExternalId = z.infer<typeof ExternalId>;

/**
 * A point in time as the source wrote it and as the hub understood it. `raw` is always kept;
 * `utc` is present when an offset was given or the store's zone was assumed.
 */
export const Timestamp = z
  .object({
    raw: z.string().describe('The timestamp exactly as the source wrote it.'),
    local: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/)
      .optional()
      .describe('Wall-clock time at the store, without offset.'),
    offset: z
      .string()
      .regex(/^[+-]\d{2}:\d{2}$/)
      .optional(),
    utc: z.iso.datetime({ offset: false }).optional().describe('The instant in UTC, when it is known.'),
    source: z
      .enum(['explicit', 'assumed-store-tz', 'unknown'])
      .describe('explicit: the source gave an offset; unknown: local time only.'),
  })
  .strict();
export type Timestamp = z.infer<typeof Timestamp>;

/** Where an event came from: system, format and every id and timestamp the source gave. */
export const SourceInfo = z
  .object({
    system: z.string().min(1).describe('Producing system, e.g. "ncr-acs", "shopify", "square".'),
    format: z.string().min(1).describe('Format and version, e.g. "poslog-2.1", "shopify-rest".'),
    ids: z.array(ExternalId).default([]),
    timestamps: z
      .record(z.string(), z.string())
      .default({})
      .describe('Raw timestamps by their source field name.'),
    version: z.string().optional().describe('Record version for versioned sources (Vend, Square).'),
  })
  .strict();
export type SourceInfo = z.infer<typeof SourceInfo>;

/** Identity of a store transaction: store + workstation + business day + sequence number (ARTS ODM key). */
export const TransactionKey = z
  .object({
    storeId: SourceId,
    workstationId: SourceId,
    businessDay: IsoDate,
    sequence: SourceId.describe('Transaction sequence number on that workstation and business day.'),
    businessDaySource: z
      .enum(['source', 'derived'])
      .default('source')
      .describe('derived: the source had no business day and the hub computed it from the store clock.'),
  })
  .strict();
export type TransactionKey = z.infer<typeof TransactionKey>;

/** Reference to an item sold, returned or moved. */
export const ItemRef = z
  .object({
    sku: z.string().optional(),
    gtin: z.string().optional(),
    description: z.string().optional(),
    ids: z.array(ExternalId).default([]),
  })
  .strict();
export type ItemRef = z.infer<typeof ItemRef>;

/** Vendor extension data carried verbatim, keyed by namespace or vendor. */
export const Extensions = z.record(z.string(), z.unknown());

/** The natural key as one string, store|workstation|businessDay|sequence: event identity and business key. */
export function naturalKeyText(
  key: Pick<TransactionKey, 'storeId' | 'workstationId' | 'businessDay' | 'sequence'>,
): string {
  return `${key.storeId}|${key.workstationId}|${key.businessDay}|${key.sequence}`;
}
