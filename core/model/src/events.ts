import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BusinessDayClose } from './business-day-close.ts';
import { BusinessDayReconciliation } from './business-day-reconciliation.ts';
import { CustomerUpsert } from './customer.ts';
import { CustomersImported, PricesImported, ProductsImported, StockLevelsImported } from './import-batch.ts';
import { InventoryAdjustment, InventoryCount, InventoryTransfer } from './inventory.ts';
import { LoyaltyEvent } from './loyalty.ts';
import { OmnichannelOrder } from './order.ts';
import { PaymentRecord } from './payment.ts';
import { ControlTransaction, RetailTransaction } from './transaction.ts';

/** Canonical event types and the schema of their `data`. The version suffix changes only on a breaking change. */
export const EVENT_DATA = {
  'sale.completed.v1': RetailTransaction,
  'return.completed.v1': RetailTransaction,
  'exchange.completed.v1': RetailTransaction,
  'transaction.voided.v1': RetailTransaction,
  'transaction.post_voided.v1': RetailTransaction,
  'control.recorded.v1': ControlTransaction,
  'payment.recorded.v1': PaymentRecord,
  'inventory.adjusted.v1': InventoryAdjustment,
  'inventory.transferred.v1': InventoryTransfer,
  'inventory.counted.v1': InventoryCount,
  'customer.upserted.v1': CustomerUpsert,
  'loyalty.accrued.v1': LoyaltyEvent,
  'loyalty.redeemed.v1': LoyaltyEvent,
  'loyalty.adjusted.v1': LoyaltyEvent,
  'order.created.v1': OmnichannelOrder,
  'order.updated.v1': OmnichannelOrder,
  'business_day.closed.v1': BusinessDayClose,
  'business_day.reconciled.v1': BusinessDayReconciliation,
  'catalog.products.imported.v1': ProductsImported,
  'catalog.prices.imported.v1': PricesImported,
  'inventory.levels.imported.v1': StockLevelsImported,
  'customers.imported.v1': CustomersImported,
} as const;

export type EventType = keyof typeof EVENT_DATA;
export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[];

/** The event type a retail transaction of a given kind is published as. */
export const TRANSACTION_EVENT_TYPE = {
  sale: 'sale.completed.v1',
  return: 'return.completed.v1',
  exchange: 'exchange.completed.v1',
  void: 'transaction.voided.v1',
  post_void: 'transaction.post_voided.v1',
} as const satisfies Record<RetailTransaction['kind'], EventType>;

/** The event type of a loyalty event of a given kind. */
export const LOYALTY_EVENT_TYPE = {
  accrual: 'loyalty.accrued.v1',
  redemption: 'loyalty.redeemed.v1',
  adjustment: 'loyalty.adjusted.v1',
} as const satisfies Record<LoyaltyEvent['kind'], EventType>;

const envelopeShape = {
  specversion: z.literal('1.0'),
  id: z.string().min(1).max(200),
  source: z.string().min(1).describe('URI-reference of the producing context, e.g. "/ncr-acs/stores/9".'),
  subject: z
    .string()
    .min(1)
    .describe(
      'The store (business unit) the event belongs to; "*" for chain-wide data (catalog, price lists, customers from an ERP import).',
    ),
  time: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('When it happened, when the instant is known (RFC 3339).'),
  datacontenttype: z.literal('application/json').default('application/json'),
  dataschema: z.string().optional(),
};

function envelopeFor<T extends EventType>(type: T) {
  return z
    .object({ ...envelopeShape, type: z.literal(type), data: EVENT_DATA[type] })
    .strict()
    .describe(`CloudEvents 1.0 envelope of a ${type} event.`);
}

const envelopes = EVENT_TYPES.map((type) => envelopeFor(type));

/** Any canonical event: a CloudEvents 1.0 envelope whose `type` picks the schema of `data`. */
export const CanonicalEvent = z
  .discriminatedUnion(
    'type',
    envelopes as unknown as [ReturnType<typeof envelopeFor>, ...ReturnType<typeof envelopeFor>[]],
  )
  .superRefine((event, ctx) => {
    const data = event.data as { kind?: string };
    if (
      event.type in TRANSACTION_EVENT_TYPE_BY_TYPE &&
      data.kind !== TRANSACTION_EVENT_TYPE_BY_TYPE[event.type]
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['data', 'kind'],
        message: `a ${event.type} event must carry a transaction of kind "${TRANSACTION_EVENT_TYPE_BY_TYPE[event.type]}"`,
      });
    }
  });

const TRANSACTION_EVENT_TYPE_BY_TYPE: Record<string, string> = Object.fromEntries(
  Object.entries(TRANSACTION_EVENT_TYPE).map(([kind, type]) => [type, kind]),
);

/** A canonical event whose data is typed after its event type. */
export type EventOf<T extends EventType> = {
  specversion: '1.0';
  id: string;
  source: string;
  subject: string;
  time?: string;
  datacontenttype: 'application/json';
  dataschema?: string;
  type: T;
  data: z.infer<(typeof EVENT_DATA)[T]>;
};
export type CanonicalEvent = { [T in EventType]: EventOf<T> }[EventType];

/** Schema of one event type's envelope (used to generate the JSON Schema files). */
export function eventSchema(type: EventType) {
  return envelopes[EVENT_TYPES.indexOf(type)]!;
}

/**
 * Wraps data in a CloudEvents envelope. The id is derived from the type and the natural identity, so the
 * same document normalised twice gives the same event id.
 */
export function makeEvent<T extends EventType>(
  type: T,
  data: z.infer<(typeof EVENT_DATA)[T]>,
  opts: { source: string; subject: string; identity: string; time?: string | undefined },
): EventOf<T> {
  const digest = createHash('sha256')
    .update(`${type}\u0000${opts.source}\u0000${opts.identity}`)
    .digest('hex');
  const id = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-5${digest.slice(13, 16)}-${((Number.parseInt(digest[16]!, 16) & 3) | 8).toString(16)}${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
  const event: EventOf<T> = {
    specversion: '1.0',
    id,
    source: opts.source,
    subject: opts.subject,
    type,
    datacontenttype: 'application/json',
    data,
  };
  if (opts.time) event.time = opts.time;
  return event;
}
