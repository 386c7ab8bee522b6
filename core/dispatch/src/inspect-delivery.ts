import type { CanonicalEvent } from '@poshub/model';
import type { Database } from '@poshub/store';
import type { Kysely } from 'kysely';
import type { DeliverySummary } from './list-deliveries.ts';

/** One delivery in full: its ledger row, every attempt, every operator edit, and the event. */
export interface DeliveryDetail extends Omit<DeliverySummary, 'cursor'> {
  nextAttemptAt: string | null;
  appliedAt: string | null;
  waitingOn: string | null;
  attemptHistory: Array<{
    attempt: number;
    startedAt: string;
    durationMs: number;
    outcome: string;
    errorType: string | null;
    errorMessage: string | null;
  }>;
  edits: Array<{ id: string; reason: string; editedBy: string; editedAt: string; data: unknown }>;
  /** The event as poshub committed it (edits never change it). */
  event: CanonicalEvent;
}

/** The full story of one event at one connector; undefined when the connector never saw it. */
export async function inspectDelivery(
  db: Kysely<Database>,
  connector: string,
  eventId: string,
): Promise<DeliveryDetail | undefined> {
  const row = await db
    .selectFrom('deliveries')
    .innerJoin('events', 'events.id', 'deliveries.event_id')
    .selectAll('deliveries')
    .select('events.body')
    .where('deliveries.connector_id', '=', connector)
    .where('deliveries.event_id', '=', eventId)
    .executeTakeFirst();
  if (!row) return undefined;
  const attempts = await db
    .selectFrom('delivery_attempts')
    .selectAll()
    .where('connector_id', '=', connector)
    .where('event_id', '=', eventId)
    .orderBy('id')
    .execute();
  const edits = await db
    .selectFrom('payload_edits')
    .selectAll()
    .where('connector_id', '=', connector)
    .where('event_id', '=', eventId)
    .orderBy('id')
    .execute();
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return {
    connector: row.connector_id,
    eventId: row.event_id,
    store: row.store_id,
    type: row.type,
    status: row.status,
    attempts: row.attempts,
    lastErrorType: row.last_error_type,
    lastErrorMessage: row.last_error_message,
    firstSeenAt: iso(row.first_seen_at)!,
    updatedAt: iso(row.updated_at)!,
    nextAttemptAt: iso(row.next_attempt_at),
    appliedAt: iso(row.applied_at),
    waitingOn: row.waiting_on,
    attemptHistory: attempts.map((a) => ({
      attempt: a.attempt,
      startedAt: iso(a.started_at)!,
      durationMs: a.duration_ms,
      outcome: a.outcome,
      errorType: a.error_type,
      errorMessage: a.error_message,
    })),
    edits: edits.map((e) => ({
      id: String(e.id),
      reason: e.reason,
      editedBy: e.edited_by,
      editedAt: iso(e.edited_at)!,
      data: e.data,
    })),
    event: row.body as CanonicalEvent,
  };
}
