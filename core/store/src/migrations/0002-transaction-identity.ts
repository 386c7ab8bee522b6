import { type Kysely, sql } from 'kysely';

/** Workstation, business day and sequence as columns, for per-day arrival reports and gap detection. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('events')
    .addColumn('workstation_id', 'text')
    .addColumn('business_day', 'text')
    .addColumn('sequence', 'text')
    .execute();
  await sql`create index events_store_day on events (store_id, business_day, workstation_id) where business_day is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('events_store_day').execute();
  await db.schema
    .alterTable('events')
    .dropColumn('workstation_id')
    .dropColumn('business_day')
    .dropColumn('sequence')
    .execute();
}
