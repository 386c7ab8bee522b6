import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** Every canonical event poshub has accepted, immutable once written. */
export interface EventsTable {
  id: string;
  type: string;
  store_id: string;
  /** store|workstation|businessDay|sequence for transactions; null for other events. */
  business_key: string | null;
  workstation_id: string | null;
  business_day: string | null;
  sequence: string | null;
  /** sha256 of the canonical data: same key + same hash is a resend, a different hash a conflict. */
  content_hash: string;
  body: ColumnType<unknown, string, never>;
  training: boolean;
  received_at: Generated<Timestamp>;
}

/** Idempotency-Key records (Stripe / IETF draft semantics), kept at least 7 days. */
export interface IdempotencyKeysTable {
  principal: string;
  key: string;
  request_hash: string;
  state: 'in_flight' | 'done';
  response_status: number | null;
  response_body: ColumnType<unknown, string | null, string | null>;
  created_at: Generated<Timestamp>;
  expires_at: Timestamp;
}

/** Transactional outbox: one row per event to publish, written in the same transaction as the event. */
export interface OutboxTable {
  id: Generated<string>;
  event_id: string;
  store_id: string;
  type: string;
  created_at: Generated<Timestamp>;
  published_at: Timestamp | null;
}

/** A business key sent again with different content: kept for review, never applied. */
export interface BusinessKeyConflictsTable {
  id: Generated<string>;
  business_key: string;
  existing_event_id: string;
  body: ColumnType<unknown, string, never>;
  content_hash: string;
  received_at: Generated<Timestamp>;
}

/** The database as Kysely sees it. */
export interface Database {
  events: EventsTable;
  idempotency_keys: IdempotencyKeysTable;
  outbox: OutboxTable;
  business_key_conflicts: BusinessKeyConflictsTable;
}
