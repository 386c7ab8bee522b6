import type { RetailTransaction } from '@poshub/model';
import type { Database } from '@poshub/store';
import { type Kysely, sql } from 'kysely';
import { type ExportPosition, encodeExportCursor } from './export-cursor.ts';
import { snapshotStart } from './open-export-snapshot.ts';
import { RETAIL_EVENT_TYPES } from './retail-event-types.ts';
import { postVoidedKeys, SalesTally, type SalesTallyView } from './sales-tally.ts';

/**
 * A store's business day as an ERP books it at a cut-off: counts by kind, takings, taxes by rate (taxable
 * base and tax), tenders by type, returns, discounts, voids and post-voids, every amount exact money in
 * minor units with its currency. Computed over an export snapshot, so it adds up to exactly the events
 * that export holds.
 */
export interface SalesSummary extends SalesTallyView {
  storeId: string;
  businessDay: string;
  /** The snapshot summed: pass it as `snapshot` to get the same summary again, or to an export. */
  snapshot: string;
  /** Events in the snapshot (as the export of the same snapshot holds). */
  events: number;
}

/** The retail transactions of the snapshot after `after`, at most `limit`, in outbox id order. */
function snapshotRows(position: ExportPosition, after: string, limit: number, type?: string) {
  return sql<{ id: string; business_key: string | null; data: RetailTransaction }>`
    select o.id::text as id, e.business_key, e.body->'data' as data
      from outbox o join events e on e.id = o.event_id
     where o.store_id = ${position.storeId}
       and o.id > ${after}::bigint and o.id <= ${position.bound}::bigint
       and o.type in (${sql.join(type === undefined ? RETAIL_EVENT_TYPES : [type])})
       and e.business_day = ${position.businessDay}
     order by o.id
     limit ${limit}`;
}

/**
 * Sums a snapshot of a store's day a page at a time (memory bounded by rates and tender types, not by
 * transactions). Post-voids are read first: a sale they undo is counted but not in the takings.
 */
export async function salesSummary(
  db: Kysely<Database>,
  snapshot: ExportPosition,
  pageSize = 500,
): Promise<SalesSummary> {
  // Any cursor of an export names its snapshot; the sum always starts at the day's first event.
  const { storeId, businessDay, bound } = snapshot;
  const start: ExportPosition = {
    storeId,
    businessDay,
    bound,
    ...(await snapshotStart(db, storeId, businessDay, bound)),
    sent: 0,
  };
  const undone = new Set<string>();
  for (let after = start.after; ; ) {
    const rows = await snapshotRows(start, after, pageSize, 'transaction.post_voided.v1').execute(db);
    for (const row of rows.rows) for (const key of postVoidedKeys(row.data)) undone.add(key);
    if (rows.rows.length < pageSize) break;
    after = rows.rows.at(-1)!.id;
  }
  const tally = new SalesTally();
  let events = 0;
  for (let after = start.after; ; ) {
    const rows = await snapshotRows(start, after, pageSize).execute(db);
    for (const row of rows.rows) {
      events++;
      tally.add(row.data, { postVoided: row.business_key !== null && undone.has(row.business_key) });
    }
    if (rows.rows.length < pageSize) break;
    after = rows.rows.at(-1)!.id;
  }
  return {
    storeId,
    businessDay,
    snapshot: encodeExportCursor(start),
    events,
    ...tally.view(),
  };
}
