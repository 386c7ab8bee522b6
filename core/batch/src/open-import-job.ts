import { randomUUID } from 'node:crypto';
import type { Database } from '@poshub/store';
import type { Kysely } from 'kysely';
import { type ImportJob, jobFromRow } from './import-job.ts';
import { type ImportFormat, type ImportType, importDb } from './import-tables.ts';

/** What a client asks for when it starts (or restarts) an import. */
export interface ImportJobSpec {
  clientId: string;
  /** The client's idempotent job key; absent: the job gets a key of its own and cannot be found again by key. */
  key?: string | undefined;
  type: ImportType;
  format: ImportFormat;
  /** Decoded length of the whole upload, when the client knows it. */
  length?: number | undefined;
}

/** The job for that key (made now, or found), or the other job the key already names. */
export type OpenImportJob =
  | { ok: true; job: ImportJob; created: boolean }
  | { ok: false; existing: ImportJob };

/**
 * Creates the job, or finds the one this client already made under the same key: the same key always names
 * the same job, so a client that lost its connection gets its job back and resumes it. The key with another
 * type, format or declared length is refused (`ok: false`).
 */
export async function openImportJob(db: Kysely<Database>, spec: ImportJobSpec): Promise<OpenImportJob> {
  const idb = importDb(db);
  const id = randomUUID();
  const inserted = await idb
    .insertInto('import_jobs')
    .values({
      id,
      client_id: spec.clientId,
      job_key: spec.key ?? id,
      type: spec.type,
      format: spec.format,
      status: 'receiving',
      upload_length: spec.length ?? null,
    })
    .onConflict((oc) => oc.columns(['client_id', 'job_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { ok: true, job: jobFromRow(inserted), created: true };
  const row = await idb
    .selectFrom('import_jobs')
    .selectAll()
    .where('client_id', '=', spec.clientId)
    .where('job_key', '=', spec.key ?? id)
    .executeTakeFirstOrThrow();
  const job = jobFromRow(row);
  const sameLength = spec.length === undefined || job.length === null || job.length === spec.length;
  if (job.type !== spec.type || job.format !== spec.format || !sameLength)
    return { ok: false, existing: job };
  return { ok: true, job, created: false };
}
