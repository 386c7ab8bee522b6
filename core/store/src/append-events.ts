import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** An event ready to store: its canonical JSON text and what the events and outbox rows index it by. */
export interface EventToAppend {
  id: string;
  type: string;
  /** The event's subject: the store, or "*" for chain-wide data. The outbox orders dispatch by it. */
  storeId: string;
  /** sha256 of the event's data. */
  contentHash: string;
  /** JSON text of the whole canonical event. */
  body: string;
  traceparent?: string | undefined;
  tracestate?: string | undefined;
}

/**
 * Appends events that carry no business key (nothing to reconcile with an earlier version) and their outbox
 * rows, inside the caller's transaction, as the ingest API stores its events. An id already stored is left
 * as it is and gets no second outbox row, so a retried append is a no-op. Returns the ids it inserted.
 */
export async function appendEvents(
  trx: Kysely<Database>,
  events: readonly EventToAppend[],
): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const inserted = await trx
    .insertInto('events')
    .values(
      events.map((e) => ({
        id: e.id,
        type: e.type,
        store_id: e.storeId,
        business_key: null,
        workstation_id: null,
        business_day: null,
        sequence: null,
        content_hash: e.contentHash,
        body: e.body,
        training: false,
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute();
  const ids = new Set(inserted.map((r) => r.id));
  const fresh = events.filter((e) => ids.has(e.id));
  if (fresh.length > 0) {
    await trx
      .insertInto('outbox')
      .values(
        fresh.map((e) => ({
          event_id: e.id,
          store_id: e.storeId,
          type: e.type,
          published_at: null,
          traceparent: e.traceparent ?? null,
          tracestate: e.tracestate ?? null,
        })),
      )
      .execute();
  }
  return ids;
}
