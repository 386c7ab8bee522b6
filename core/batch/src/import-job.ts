import type { Selectable } from 'kysely';
import type { ImportFormat, ImportJobsTable, ImportStatus, ImportType } from './import-tables.ts';

/** An import job as the code works with it (counts as numbers). */
export interface ImportJob {
  id: string;
  clientId: string;
  key: string;
  type: ImportType;
  format: ImportFormat;
  status: ImportStatus;
  /** Decoded bytes consumed: the upload resumes here. */
  offset: number;
  /** The decoded length the client declared, if it did. */
  length: number | null;
  /** A row cut by the end of the last chunk, completed by the next one. */
  carry: Buffer;
  csvColumns: string[] | null;
  lines: number;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  bytesReceived: number;
  chunksReceived: number;
  batches: number;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

/** The job of a database row. */
export function jobFromRow(row: Selectable<ImportJobsTable>): ImportJob {
  return {
    id: row.id,
    clientId: row.client_id,
    key: row.job_key,
    type: row.type,
    format: row.format,
    status: row.status,
    offset: Number(row.upload_offset),
    length: row.upload_length === null ? null : Number(row.upload_length),
    carry: Buffer.from(row.carry),
    csvColumns: row.csv_columns,
    lines: Number(row.lines_read),
    rowsRead: Number(row.rows_read),
    rowsAccepted: Number(row.rows_accepted),
    rowsRejected: Number(row.rows_rejected),
    bytesReceived: Number(row.bytes_received),
    chunksReceived: row.chunks_received,
    batches: row.batches,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}
