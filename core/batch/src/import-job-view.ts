import type { ImportJob } from './import-job.ts';
import { IMPORT_KINDS } from './import-kinds.ts';

/** An import job as the API shows it (`GET /v1/imports/{id}`). */
export interface ImportJobView {
  id: string;
  key: string;
  type: ImportJob['type'];
  format: ImportJob['format'];
  eventType: string;
  status: ImportJob['status'];
  /** Decoded bytes received and processed: a resumed upload continues from here (also the Upload-Offset header). */
  uploadOffset: number;
  uploadLength: number | null;
  rows: { read: number; accepted: number; rejected: number };
  bytesReceived: number;
  chunksReceived: number;
  /** Batch events committed (each up to 1,000 accepted rows). */
  batches: number;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  links: { self: string; errors: string; complete: string };
}

/** The API view of a job. */
export function importJobView(job: ImportJob): ImportJobView {
  const self = `/v1/imports/${encodeURIComponent(job.id)}`;
  return {
    id: job.id,
    key: job.key,
    type: job.type,
    format: job.format,
    eventType: IMPORT_KINDS[job.type].eventType,
    status: job.status,
    uploadOffset: job.offset,
    uploadLength: job.length,
    rows: { read: job.rowsRead, accepted: job.rowsAccepted, rejected: job.rowsRejected },
    bytesReceived: job.bytesReceived,
    chunksReceived: job.chunksReceived,
    batches: job.batches,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
    completedAt: job.completedAt?.toISOString() ?? null,
    links: { self, errors: `${self}/errors`, complete: `${self}/complete` },
  };
}
