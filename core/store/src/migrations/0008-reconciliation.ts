import { type Kysely, sql } from 'kysely';

/**
 * End-of-day reconciliation: one row per business-day close (store, day, and the workstation, '' for a
 * store-wide close) holding the latest comparison with what the hub received, its version and a fingerprint
 * of its inputs, so the same inputs never produce a second result. And an index to find a day's closes,
 * whose business day lives only in the event body (a close has no transaction key).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('business_day_reconciliations')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('business_day', 'text', (c) => c.notNull())
    .addColumn('workstation_key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('matched', 'mismatched')`))
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('close_event_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('result', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('business_day_reconciliations_pk', [
      'store_id',
      'business_day',
      'workstation_key',
    ])
    .execute();
  await sql`create index events_business_day_closes on events (store_id, (body->'data'->>'businessDay'))
    where type = 'business_day.closed.v1'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('events_business_day_closes').execute();
  await db.schema.dropTable('business_day_reconciliations').execute();
}
