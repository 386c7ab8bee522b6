import type { Database } from '@poshub/store';
import type { Kysely } from 'kysely';
import { type ImportJob, jobFromRow } from './import-job.ts';
import { importDb } from './import-tables.ts';

/** The job with this id, or undefined. */
export async function findImportJob(db: Kysely<Database>, id: string): Promise<ImportJob | undefined> {
  const row = await importDb(db)
    .selectFrom('import_jobs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? jobFromRow(row) : undefined;
}
