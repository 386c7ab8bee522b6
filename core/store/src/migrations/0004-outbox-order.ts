import { type Kysely, sql } from 'kysely';

/**
 * Indexes for walking a store's events in commit order: an ordered connector that receives an event checks
 * that it has seen the store's earlier ones (a broker may lose or delay a message), and finds an event's
 * outbox row by its id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index outbox_store on outbox (store_id, id)`.execute(db);
  await sql`create index outbox_event on outbox (event_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('outbox_event').execute();
  await db.schema.dropIndex('outbox_store').execute();
}
