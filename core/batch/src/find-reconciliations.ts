import type { BusinessDayReconciliation } from '@poshub/model';
import type { Database } from '@poshub/store';
import type { Kysely } from 'kysely';
import { reconciliationDb } from './reconciliation-tables.ts';

/** A stored reconciliation result with the event that carried it. */
export type StoredReconciliation = BusinessDayReconciliation & { eventId: string };

/** The latest result of every close of a store's day: the store-wide one first, then by workstation. */
export async function findReconciliations(
  db: Kysely<Database>,
  storeId: string,
  businessDay: string,
): Promise<StoredReconciliation[]> {
  const rows = await reconciliationDb(db)
    .selectFrom('business_day_reconciliations')
    .select(['workstation_key', 'result', 'event_id'])
    .where('store_id', '=', storeId)
    .where('business_day', '=', businessDay)
    .execute();
  return rows
    .sort((a, b) => a.workstation_key.localeCompare(b.workstation_key, 'en', { numeric: true }))
    .map((r) => ({ ...r.result, eventId: r.event_id }));
}
