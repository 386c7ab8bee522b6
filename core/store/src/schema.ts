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
  received_at: Timestamp;
}

/** Idempotency-Key records (Stripe / IETF draft semantics), kept at least 7 days. */
export interface IdempotencyKeysTable {
  principal: string;
  key: string;
  request_hash: string;
  state: 'in_flight' | 'done';
  response_status: number | null;
  response_body: ColumnType<unknown, string | null, string | null>;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/** Transactional outbox: one row per event to publish, written in the same transaction as the event. */
export interface OutboxTable {
  id: Generated<string>;
  event_id: string;
  store_id: string;
  type: string;
  created_at: Timestamp;
  published_at: Timestamp | null;
  /** W3C trace context of the request that brought the event in, carried to every connector. */
  traceparent: string | null;
  tracestate: string | null;
}

/** A business key sent again with different content: kept for review, never applied. */
export interface BusinessKeyConflictsTable {
  id: Generated<string>;
  business_key: string;
  existing_event_id: string;
  body: ColumnType<unknown, string, never>;
  content_hash: string;
  received_at: Timestamp;
}

/** The embedded queue: one row per message per lane, deleted once acknowledged. */
export interface QueueMessagesTable {
  id: Generated<string>;
  lane: string;
  store_id: string;
  message: ColumnType<unknown, string, string>;
  available_at: Timestamp;
  delivery_count: Generated<number>;
  leased_until: Timestamp | null;
  lease_owner: string | null;
  /** Set when the message is dead-lettered: it stays for ops until taken. */
  dead_reason: string | null;
}

/** A connector the hub dispatches to, and since when (it gets events received from then on). */
export interface ConnectorsTable {
  id: string;
  registered_at: Timestamp;
}

/** Where a delivery stands. `applied`, `dead` and `skipped` are final until an operator replays. */
export type DeliveryStatus = 'pending' | 'waiting' | 'released' | 'retrying' | 'applied' | 'dead' | 'skipped';

/** The delivery ledger: one row per connector and event; an applied event is never applied again. */
export interface DeliveriesTable {
  connector_id: string;
  event_id: string;
  /** Arrival order at the connector: parked events are released in this order. */
  seq: Generated<string>;
  store_id: string;
  type: string;
  status: DeliveryStatus;
  attempts: Generated<number>;
  /** The event this one waits for (causal order: a return waits for its sale). */
  waiting_on: string | null;
  /** Until when it may wait before the connector's policy decides. */
  wait_until: Timestamp | null;
  last_error_type: string | null;
  last_error_message: string | null;
  first_seen_at: Timestamp;
  last_attempt_at: Timestamp | null;
  next_attempt_at: Timestamp | null;
  applied_at: Timestamp | null;
  updated_at: Timestamp;
}

/** Every attempt to apply an event at a connector, for the DLQ's error history. */
export interface DeliveryAttemptsTable {
  id: Generated<string>;
  connector_id: string;
  event_id: string;
  attempt: number;
  started_at: Timestamp;
  duration_ms: number;
  outcome: 'applied' | 'retryable' | 'permanent';
  error_type: string | null;
  error_message: string | null;
}

/** An operator's edit of an event's data for one connector; the original event is never changed. */
export interface PayloadEditsTable {
  id: Generated<string>;
  connector_id: string;
  event_id: string;
  data: ColumnType<unknown, string, never>;
  reason: string;
  edited_by: string;
  edited_at: Timestamp;
}

/** What operators did to dispatch: replays, edits, re-syncs. */
export interface DispatchAuditTable {
  id: Generated<string>;
  at: Timestamp;
  actor: string;
  action: string;
  connector_id: string | null;
  detail: ColumnType<unknown, string, never>;
}

/** The database as Kysely sees it. */
export interface Database {
  events: EventsTable;
  idempotency_keys: IdempotencyKeysTable;
  outbox: OutboxTable;
  business_key_conflicts: BusinessKeyConflictsTable;
  queue_messages: QueueMessagesTable;
  connectors: ConnectorsTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  payload_edits: PayloadEditsTable;
  dispatch_audit: DispatchAuditTable;
}
