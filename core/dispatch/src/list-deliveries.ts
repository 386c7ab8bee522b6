import type { Database, DeliveryStatus } from '@poshub/store';
import type { Kysely } from 'kysely';

/** Which ledger rows to list: the DLQ is `status: ['dead']`, the default. */
export interface DeliveryFilter {
  connector?: string;
  status?: readonly DeliveryStatus[];
  store?: string;
  type?: string;
  errorType?: string;
  /** Last change at or after this instant. */
  from?: Date;
  /** Last change before this instant. */
  to?: Date;
}

/** One delivery as ops see it in a list. */
export interface DeliverySummary {
  connector: string;
  eventId: string;
  store: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  lastErrorType: string | null;
  lastErrorMessage: string | null;
  firstSeenAt: string;
  updatedAt: string;
  /** Position in the listing; pass it back as `after` for the next page. */
  cursor: string;
}

/** Lists ledger rows matching the filter, oldest change first, a page at a time. */
export async function listDeliveries(
  db: Kysely<Database>,
  filter: DeliveryFilter,
  page: { limit?: number; after?: string } = {},
): Promise<DeliverySummary[]> {
  const limit = Math.min(Math.max(page.limit ?? 100, 1), 1000);
  let q = db
    .selectFrom('deliveries')
    .selectAll()
    .where('status', 'in', [...(filter.status ?? ['dead'])]);
  if (filter.connector) q = q.where('connector_id', '=', filter.connector);
  if (filter.store) q = q.where('store_id', '=', filter.store);
  if (filter.type) q = q.where('type', '=', filter.type);
  if (filter.errorType) q = q.where('last_error_type', '=', filter.errorType);
  if (filter.from) q = q.where('updated_at', '>=', filter.from);
  if (filter.to) q = q.where('updated_at', '<', filter.to);
  if (page.after) q = q.where('seq', '>', page.after);
  const rows = await q.orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({
    connector: r.connector_id,
    eventId: r.event_id,
    store: r.store_id,
    type: r.type,
    status: r.status,
    attempts: r.attempts,
    lastErrorType: r.last_error_type,
    lastErrorMessage: r.last_error_message,
    firstSeenAt: new Date(r.first_seen_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    cursor: String(r.seq),
  }));
}
