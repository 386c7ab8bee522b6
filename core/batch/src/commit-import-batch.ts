import { appendEvents, type Database, type EventToAppend } from '@poshub/store';
import { type Kysely, sql } from 'kysely';
import type { ImportStatus } from './import-tables.ts';

/** One input row refused, with why; `raw` is null when it held a card number. */
export interface RejectedRow {
  rowNumber: number;
  line: number;
  problems: Array<{ code: string; pointer: string; message: string }>;
  raw: string | null;
}

/** Everything one commit of an import moves: the job from one state to the next, with its events and rejects. */
export interface ImportCommit {
  jobId: string;
  /** The job state this commit starts from; it commits only if the job is still there. */
  from: { offset: number; batches: number };
  to: { offset: number; lines: number; batches: number };
  rows: { read: number; accepted: number; rejected: number };
  bytes: number;
  chunks: number;
  /** The row cut at `to.offset` (empty unless the commit ends a chunk mid-row). */
  carry: Buffer;
  csvColumns?: string[] | undefined;
  status?: Exclude<ImportStatus, 'receiving'> | undefined;
  error?: string | undefined;
  events: EventToAppend[];
  rejects: RejectedRow[];
}

class Moved extends Error {
  override name = 'Moved';
}

const REJECTS_PER_INSERT = 2000;

/**
 * Commits one batch of an import in one transaction: the job's progress, the batch events and their outbox
 * rows (through the store's appendEvents, as ingest stores events), and the rejected rows. It commits only
 * from the job state it was built on (offset and batch number): a batch already committed, or a job another
 * upload moved meanwhile, changes nothing and returns false. So no row is ever committed twice.
 */
export async function commitImportBatch(db: Kysely<Database>, commit: ImportCommit): Promise<boolean> {
  try {
    await db.transaction().execute(async (trx) => {
      // The job row first: it serialises commits of one job and proves this batch is the next one.
      const moved = await sql`
        update import_jobs set
          upload_offset = ${commit.to.offset},
          lines_read = ${commit.to.lines},
          batches = ${commit.to.batches},
          rows_read = rows_read + ${commit.rows.read},
          rows_accepted = rows_accepted + ${commit.rows.accepted},
          rows_rejected = rows_rejected + ${commit.rows.rejected},
          bytes_received = bytes_received + ${commit.bytes},
          chunks_received = chunks_received + ${commit.chunks},
          carry = ${commit.carry},
          csv_columns = coalesce(${commit.csvColumns ? JSON.stringify(commit.csvColumns) : null}::jsonb, csv_columns),
          status = coalesce(${commit.status ?? null}::text, status),
          error = coalesce(${commit.error ?? null}::text, error),
          completed_at = case when ${commit.status ?? null}::text = 'completed' then now() else completed_at end,
          updated_at = now()
        where id = ${commit.jobId}
          and upload_offset = ${commit.from.offset}
          and batches = ${commit.from.batches}
          and status in ('receiving', 'processing')
        returning id`.execute(trx);
      if (moved.rows.length !== 1) throw new Moved();
      await appendEvents(trx, commit.events);
      for (let i = 0; i < commit.rejects.length; i += REJECTS_PER_INSERT) {
        const rows = commit.rejects
          .slice(i, i + REJECTS_PER_INSERT)
          .map(
            (r) =>
              sql`(${commit.jobId}, ${r.rowNumber}, ${r.line}, ${JSON.stringify(r.problems)}::jsonb, ${r.raw})`,
          );
        await sql`insert into import_rejects (job_id, row_number, line, problems, raw)
          values ${sql.join(rows)} on conflict do nothing`.execute(trx);
      }
    });
    return true;
  } catch (error) {
    if (error instanceof Moved) return false;
    throw error;
  }
}

/**
 * Marks a job processing (its upload is complete; the last rows are being committed) if it is still in the
 * state `from`; false when another upload moved it meanwhile.
 */
export async function markImportProcessing(
  db: Kysely<Database>,
  jobId: string,
  from: { offset: number; batches: number },
): Promise<boolean> {
  const marked = await sql`
    update import_jobs set status = 'processing', updated_at = now()
     where id = ${jobId} and upload_offset = ${from.offset} and batches = ${from.batches}
       and status in ('receiving', 'processing')
    returning id`.execute(db);
  return marked.rows.length === 1;
}
