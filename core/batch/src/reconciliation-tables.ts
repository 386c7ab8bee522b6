import type { BusinessDayReconciliation } from '@poshub/model';
import type { Database } from '@poshub/store';
import type { ColumnType, Kysely } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** The latest reconciliation of one business-day close (migration 0008). */
export interface BusinessDayReconciliationsTable {
  store_id: string;
  business_day: string;
  /** The close's workstation; '' for a store-wide close. */
  workstation_key: string;
  version: number;
  status: BusinessDayReconciliation['status'];
  /** sha256 of everything the result says but its version and time: the same inputs, the same print. */
  fingerprint: string;
  close_event_id: string;
  /** The business_day.reconciled.v1 event of this version. */
  event_id: string;
  result: ColumnType<BusinessDayReconciliation, string, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The reconciliation table, added to the hub's database type. */
export type ReconciliationTables = { business_day_reconciliations: BusinessDayReconciliationsTable };

/** The database handle the reconciliation code works on. */
export function reconciliationDb(db: Kysely<Database>): Kysely<Database & ReconciliationTables> {
  return db.withTables<ReconciliationTables>();
}
