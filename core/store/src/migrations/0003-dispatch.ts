import { type Kysely, sql } from 'kysely';

/**
 * Dispatch: the embedded queue (the default transport on one machine), the delivery ledger (connector x
 * event), its attempt history, audited payload edits and replays, and each connector's start watermark.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('outbox')
    .addColumn('traceparent', 'text')
    .addColumn('tracestate', 'text')
    .execute();

  await db.schema
    .createTable('queue_messages')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('lane', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('message', 'jsonb', (c) => c.notNull())
    .addColumn('available_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('delivery_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('leased_until', 'timestamptz')
    .addColumn('lease_owner', 'text')
    .addColumn('dead_reason', 'text')
    .execute();
  await sql`create index queue_messages_live on queue_messages (lane, id) where dead_reason is null`.execute(
    db,
  );
  await sql`create index queue_messages_store on queue_messages (lane, store_id, id) where dead_reason is null`.execute(
    db,
  );
  await sql`create index queue_messages_dead on queue_messages (lane, id) where dead_reason is not null`.execute(
    db,
  );

  await db.schema
    .createTable('connectors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('connector_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id'))
    .addColumn('seq', 'bigserial', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(sql`status in ('pending', 'waiting', 'released', 'retrying', 'applied', 'dead', 'skipped')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('waiting_on', 'text')
    .addColumn('wait_until', 'timestamptz')
    .addColumn('last_error_type', 'text')
    .addColumn('last_error_message', 'text')
    .addColumn('first_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_attempt_at', 'timestamptz')
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('applied_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('deliveries_pk', ['connector_id', 'event_id'])
    .execute();
  await sql`create index deliveries_open on deliveries (connector_id, store_id, seq) where status not in ('applied', 'dead', 'skipped')`.execute(
    db,
  );
  await sql`create index deliveries_status on deliveries (connector_id, status, updated_at)`.execute(db);
  await sql`create index deliveries_waiting_on on deliveries (connector_id, waiting_on) where waiting_on is not null`.execute(
    db,
  );

  await db.schema
    .createTable('delivery_attempts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('connector_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error_type', 'text')
    .addColumn('error_message', 'text')
    .execute();
  await db.schema
    .createIndex('delivery_attempts_event')
    .on('delivery_attempts')
    .columns(['connector_id', 'event_id', 'id'])
    .execute();

  await db.schema
    .createTable('payload_edits')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('connector_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id'))
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('edited_by', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('payload_edits_event')
    .on('payload_edits')
    .columns(['connector_id', 'event_id', 'id'])
    .execute();

  await db.schema
    .createTable('dispatch_audit')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('connector_id', 'text')
    .addColumn('detail', 'jsonb', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'dispatch_audit',
    'payload_edits',
    'delivery_attempts',
    'deliveries',
    'connectors',
    'queue_messages',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('outbox').dropColumn('traceparent').dropColumn('tracestate').execute();
}
