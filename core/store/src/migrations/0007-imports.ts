import { type Kysely, sql } from 'kysely';

/**
 * ERP bulk imports: one row per import job (its idempotent key, progress and the state a resumed upload
 * continues from), and one row per rejected input row (its problems and the raw row, truncated and withheld
 * when it held a card number).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('import_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('job_key', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type in ('product', 'price', 'stock', 'customer')`),
    )
    .addColumn('format', 'text', (c) => c.notNull().check(sql`format in ('ndjson', 'csv')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('receiving', 'processing', 'completed', 'failed')`),
    )
    // Resumable upload: the decoded bytes consumed so far (every row before is committed or rejected),
    // the bytes of a row cut by the end of the last chunk, the CSV header, and the length once declared.
    .addColumn('upload_offset', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('upload_length', 'bigint')
    .addColumn('carry', 'bytea', (c) => c.notNull().defaultTo(sql`'\\x'::bytea`))
    .addColumn('csv_columns', 'jsonb')
    .addColumn('lines_read', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_read', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_accepted', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_rejected', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('bytes_received', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('chunks_received', 'integer', (c) => c.notNull().defaultTo(0))
    // Batch events committed; the next batch is batches + 1 (a batch commits only from that state).
    .addColumn('batches', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .addUniqueConstraint('import_jobs_client_key', ['client_id', 'job_key'])
    .execute();

  await db.schema
    .createTable('import_rejects')
    .addColumn('job_id', 'text', (c) => c.notNull().references('import_jobs.id').onDelete('cascade'))
    .addColumn('row_number', 'bigint', (c) => c.notNull())
    .addColumn('line', 'bigint', (c) => c.notNull())
    .addColumn('problems', 'jsonb', (c) => c.notNull())
    .addColumn('raw', 'text')
    .addPrimaryKeyConstraint('import_rejects_pk', ['job_id', 'row_number'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('import_rejects').execute();
  await db.schema.dropTable('import_jobs').execute();
}
