import type { Database } from '@poshub/store';
import type { Kysely } from 'kysely';
import { importDb } from './import-tables.ts';

/** One rejected row as the errors download writes it. */
export interface RejectLine {
  row: number;
  line: number;
  problems: Array<{ code: string; pointer: string; message: string }>;
  raw: string | null;
}

/**
 * A job's rejected rows as NDJSON text, in row order, read a page at a time so the download streams with
 * flat memory however many rows were refused.
 */
export async function* importRejectLines(
  db: Kysely<Database>,
  jobId: string,
  pageSize = 1000,
): AsyncGenerator<string> {
  let after = '0';
  for (;;) {
    const rows = await importDb(db)
      .selectFrom('import_rejects')
      .select(['row_number', 'line', 'problems', 'raw'])
      .where('job_id', '=', jobId)
      .where('row_number', '>', after)
      .orderBy('row_number')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield rows
      .map((r) => {
        const line: RejectLine = {
          row: Number(r.row_number),
          line: Number(r.line),
          problems: r.problems as RejectLine['problems'],
          raw: r.raw,
        };
        return `${JSON.stringify(line)}\n`;
      })
      .join('');
    if (rows.length < pageSize) return;
    after = String(rows.at(-1)!.row_number);
  }
}
