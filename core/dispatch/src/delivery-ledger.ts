import type { Database, DeliveryStatus } from '@poshub/store';
import type { DispatchMessage } from '@poshub/transports';
import { type Kysely, sql, type Transaction } from 'kysely';

/** Statuses after which a delivery is settled until an operator replays it. */
export const FINAL_STATUSES: readonly DeliveryStatus[] = ['applied', 'dead', 'skipped'];

/** What the ledger says about a delivery that just arrived. */
export type Admission =
  /** Already settled for this connector: absorb the duplicate. */
  | { kind: 'duplicate'; status: DeliveryStatus }
  /** Another delivery of the same event is being applied right now: come back later. */
  | { kind: 'busy' }
  /** The message names no event poshub holds: not ours. */
  | { kind: 'unknown' }
  /** Parked behind an earlier event of the store, or behind the sale a return refers to. */
  | { kind: 'parked'; why: 'order' | 'causal' }
  /** Apply it: attempt `attempt`, for an event poshub received at `receivedAt`. */
  | { kind: 'go'; attempt: number; receivedAt: Date };

/** How the ledger should treat a lane. */
export interface LaneRules {
  connectorId: string;
  orderedPerStore: boolean;
  /** An in-flight delivery older than this is taken to be abandoned (its process died). */
  staleAfterMs: number;
  /** The event this one should wait for, and until when; undefined when it need not wait. */
  causalWait?: (trx: Transaction<Database>) => Promise<{ eventId: string; until: Date } | undefined>;
  /** False when the connector's filter excludes the event. */
  wanted: boolean;
}

interface LedgerRow {
  status: DeliveryStatus;
  seq: string;
  attempts: number;
  waiting_on: string | null;
  wait_until: Date | null;
  updated_at: Date;
  received_at: Date;
}

const FINAL = sql.join(FINAL_STATUSES.map((s) => sql.lit(s)));

/** Serialises ledger decisions of one connector and store across processes (ordered lanes only). */
function lockLane(trx: Transaction<Database>, connectorId: string, storeId: string) {
  return sql`select pg_advisory_xact_lock(hashtext(${`poshub.lane.${connectorId}|${storeId}`}))`.execute(trx);
}

/**
 * Decides what to do with a delivery, recording it: an event already applied, dead or skipped for this
 * connector is never applied again, whatever the broker redelivers.
 */
export function admitDelivery(
  db: Kysely<Database>,
  message: DispatchMessage,
  rules: LaneRules,
): Promise<Admission> {
  return db.transaction().execute(async (trx) => {
    if (rules.orderedPerStore) await lockLane(trx, rules.connectorId, message.subject);
    await sql`
      insert into deliveries (connector_id, event_id, store_id, type, status)
      select ${rules.connectorId}, e.id, ${message.subject}, e.type, 'pending' from events e where e.id = ${message.id}
      on conflict (connector_id, event_id) do nothing`.execute(trx);
    const found = await sql<LedgerRow>`
      select d.status, d.seq, d.attempts, d.waiting_on, d.wait_until, d.updated_at, e.received_at
        from deliveries d join events e on e.id = d.event_id
       where d.connector_id = ${rules.connectorId} and d.event_id = ${message.id}
         for update of d`.execute(trx);
    const row = found.rows[0];
    if (!row) return { kind: 'unknown' };
    if (FINAL_STATUSES.includes(row.status)) return { kind: 'duplicate', status: row.status };
    const fresh = Date.now() - new Date(row.updated_at).getTime() < rules.staleAfterMs;
    if (row.status === 'pending' && row.attempts > 0 && fresh) return { kind: 'busy' };

    const set = (status: DeliveryStatus, extra: Record<string, unknown> = {}) =>
      trx
        .updateTable('deliveries')
        .set({ status, updated_at: new Date(), ...extra })
        .where('connector_id', '=', rules.connectorId)
        .where('event_id', '=', message.id)
        .execute();

    if (!rules.wanted) {
      await set('skipped');
      return { kind: 'duplicate', status: 'skipped' };
    }
    if (rules.orderedPerStore && row.status !== 'released') {
      const earlier = await sql<{ n: number }>`
        select count(*)::int as n from deliveries
         where connector_id = ${rules.connectorId} and store_id = ${message.subject}
           and seq < ${row.seq} and status not in (${FINAL})`.execute(trx);
      if ((earlier.rows[0]?.n ?? 0) > 0) {
        await set('waiting');
        return { kind: 'parked', why: 'order' };
      }
    }
    // A causal wait is checked until it is over: either it never started, or it started and has time left.
    // After a timeout the sweeper clears waiting_on and keeps the past wait_until, so it is not waited again.
    const waitLeft =
      row.wait_until === null || (row.waiting_on !== null && new Date(row.wait_until).getTime() > Date.now());
    if (rules.causalWait && waitLeft) {
      const wait = await rules.causalWait(trx);
      if (wait) {
        await set('waiting', { waiting_on: wait.eventId, wait_until: wait.until });
        return { kind: 'parked', why: 'causal' };
      }
    }
    await set('pending', { waiting_on: null });
    return { kind: 'go', attempt: row.attempts + 1, receivedAt: new Date(row.received_at) };
  });
}

/** How one attempt ended, as the ledger records it. */
export interface AttemptRecord {
  attempt: number;
  startedAt: Date;
  durationMs: number;
  outcome: 'applied' | 'retryable' | 'permanent';
  errorType?: string;
  errorMessage?: string;
}

/** The ledger state a delivery moves to after an attempt (or after the breaker refused one). */
export type Resolution =
  | { status: 'applied' }
  | { status: 'retrying'; nextAttemptAt: Date }
  | { status: 'dead'; errorType: string; errorMessage: string };

/**
 * Records an attempt and where the delivery now stands, and, once it is final, releases the events parked
 * behind it. Returns the ids of the released events, which the caller must publish to the lane.
 */
export function resolveDelivery(
  db: Kysely<Database>,
  connectorId: string,
  message: DispatchMessage,
  orderedPerStore: boolean,
  resolution: Resolution,
  attempt: AttemptRecord | undefined,
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    if (orderedPerStore) await lockLane(trx, connectorId, message.subject);
    const now = new Date();
    await trx
      .updateTable('deliveries')
      .set({
        status: resolution.status,
        updated_at: now,
        ...(attempt ? { attempts: attempt.attempt, last_attempt_at: attempt.startedAt } : {}),
        ...(resolution.status === 'applied' ? { applied_at: now, next_attempt_at: null } : {}),
        ...(resolution.status === 'retrying' ? { next_attempt_at: resolution.nextAttemptAt } : {}),
        ...(resolution.status === 'dead'
          ? {
              last_error_type: resolution.errorType,
              last_error_message: resolution.errorMessage,
              next_attempt_at: null,
            }
          : {}),
        ...(attempt?.errorType && resolution.status !== 'dead'
          ? { last_error_type: attempt.errorType, last_error_message: attempt.errorMessage ?? null }
          : {}),
      })
      .where('connector_id', '=', connectorId)
      .where('event_id', '=', message.id)
      .execute();
    if (attempt) {
      await trx
        .insertInto('delivery_attempts')
        .values({
          connector_id: connectorId,
          event_id: message.id,
          attempt: attempt.attempt,
          started_at: attempt.startedAt,
          duration_ms: Math.round(attempt.durationMs),
          outcome: attempt.outcome,
          error_type: attempt.errorType ?? null,
          error_message: attempt.errorMessage ?? null,
        })
        .execute();
    }
    if (resolution.status === 'retrying') return [];
    return releaseAfter(trx, connectorId, message.id, message.subject, orderedPerStore);
  });
}

/**
 * After an event became final: events waiting on it causally stop waiting, and, on an ordered lane, the
 * store's next parked event is released (one at a time, so the store's order holds).
 */
export async function releaseAfter(
  trx: Transaction<Database>,
  connectorId: string,
  eventId: string,
  storeId: string,
  orderedPerStore: boolean,
): Promise<string[]> {
  const dependants = await trx
    .updateTable('deliveries')
    .set({ waiting_on: null, wait_until: null, updated_at: new Date() })
    .where('connector_id', '=', connectorId)
    .where('waiting_on', '=', eventId)
    .where('status', '=', 'waiting')
    .returning(['event_id', 'store_id'])
    .execute();
  const released: string[] = [];
  if (orderedPerStore) {
    const stores = new Set([storeId, ...dependants.map((d) => d.store_id)]);
    for (const store of stores) {
      if (store !== storeId) await lockLane(trx, connectorId, store);
      const next = await releaseNextOfStore(trx, connectorId, store);
      if (next) released.push(next);
    }
  } else if (dependants.length > 0) {
    await trx
      .updateTable('deliveries')
      .set({ status: 'released', updated_at: new Date() })
      .where('connector_id', '=', connectorId)
      .where(
        'event_id',
        'in',
        dependants.map((d) => d.event_id),
      )
      .execute();
    released.push(...dependants.map((d) => d.event_id));
  }
  return released;
}

/** Releases the store's first open event when it is parked and free to go. */
async function releaseNextOfStore(
  trx: Transaction<Database>,
  connectorId: string,
  storeId: string,
): Promise<string | undefined> {
  const first = await sql<{ event_id: string; status: DeliveryStatus; waiting_on: string | null }>`
    select event_id, status, waiting_on from deliveries
     where connector_id = ${connectorId} and store_id = ${storeId} and status not in (${FINAL})
     order by seq limit 1`.execute(trx);
  const row = first.rows[0];
  if (row?.status !== 'waiting' || row.waiting_on !== null) return undefined;
  await trx
    .updateTable('deliveries')
    .set({ status: 'released', updated_at: new Date() })
    .where('connector_id', '=', connectorId)
    .where('event_id', '=', row.event_id)
    .execute();
  return row.event_id;
}
