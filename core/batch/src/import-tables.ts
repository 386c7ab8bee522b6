import type { Database } from '@poshub/store';
import type { ColumnType, Kysely } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** bigint columns: pg returns them as text; we write numbers. */
type Count = ColumnType<string, number | string | undefined, number | string>;

/** What an import job brings in. */
export type ImportType = 'product' | 'price' | 'stock' | 'customer';
/** How its rows are written. */
export type ImportFormat = 'ndjson' | 'csv';
/** Where a job stands: rows are processed as they arrive, so `receiving` already commits rows. */
export type ImportStatus = 'receiving' | 'processing' | 'completed' | 'failed';

/** One ERP bulk import (migration 0007). */
export interface ImportJobsTable {
  id: string;
  client_id: string;
  job_key: string;
  type: ImportType;
  format: ImportFormat;
  status: ImportStatus;
  upload_offset: Count;
  upload_length: ColumnType<string | null, number | null | undefined, number | null>;
  carry: ColumnType<Buffer, Buffer | undefined, Buffer>;
  csv_columns: ColumnType<string[] | null, string | null | undefined, string | null>;
  lines_read: Count;
  rows_read: Count;
  rows_accepted: Count;
  rows_rejected: Count;
  bytes_received: Count;
  chunks_received: ColumnType<number, number | undefined, number>;
  batches: ColumnType<number, number | undefined, number>;
  error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  completed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** One rejected input row and why. */
export interface ImportRejectsTable {
  job_id: string;
  row_number: Count;
  line: Count;
  problems: ColumnType<unknown, string, never>;
  raw: string | null;
}

/** The import tables, added to the hub's database type. */
export type ImportTables = {
  import_jobs: ImportJobsTable;
  import_rejects: ImportRejectsTable;
};

/** The hub's database with the import tables. */
export type ImportDatabase = Database & ImportTables;

/** The database handle the import code works on. */
export function importDb(db: Kysely<Database>): Kysely<ImportDatabase> {
  return db.withTables<ImportTables>();
}
