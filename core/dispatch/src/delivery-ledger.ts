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
  /**
   * Parked behind an earlier event of the store, or behind the sale a return refers to. `release` names
   * earlier events of the store this connector had never received, now released to it: publish them.
   */
  | { kind: 'parked'; why: 'order' | 'causal'; release?: string[] }
  /** Apply it: attempt `attempt`, for an event poshub received at `receivedAt`. */
  | { kind: 'go'; attempt: number; receivedAt: Date };

/** How the ledger should treat a lane. */
export interface LaneRules {
  connectorId: string;
  /** The event types the connector subscribes to (which earlier events of a store it must see first). */
  types: readonly string[];
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
    let backfilled = 0;
    if (rules.orderedPerStore) {
      await lockLane(trx, rules.connectorId, message.subject);
      backfilled = await backfillEarlier(trx, rules, message);
    }
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
        const next =
          backfilled > 0 ? await releaseNextOfStore(trx, rules.connectorId, message.subject) : undefined;
        return { kind: 'parked', why: 'order', ...(next ? { release: [next] } : {}) };
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

const BACKFILL_PAGE = 20;
const BACKFILL_MAX = 1000;

/**
 * On an ordered lane, the first time an event arrives: the store's earlier events (commit order, the
 * connector's types, since it registered) that this connector has never received get ledger rows ahead of
 * it, parked. A broker that lost or delayed them (or a reconciler that republishes out of order) then
 * cannot make the connector apply the store's events out of order: they are released one at a time and
 * published to the lane again. Walks back only to the first event the connector has seen, so the usual
 * cost is one short index scan. Returns how many rows it added.
 */
async function backfillEarlier(
  trx: Transaction<Database>,
  rules: LaneRules,
  message: DispatchMessage,
): Promise<number> {
  if (rules.types.length === 0) return 0;
  const known = await sql`
    select 1 from deliveries where connector_id = ${rules.connectorId} and event_id = ${message.id}`.execute(
    trx,
  );
  if (known.rows.length > 0) return 0;
  const me = await sql<{ id: string }>`
    select id from outbox where event_id = ${message.id} order by id limit 1`.execute(trx);
  let before = me.rows[0]?.id;
  if (before === undefined) return 0;
  const types = sql.join(rules.types.map((t) => sql`${t}`));
  const missing: Array<{ event_id: string; type: string }> = [];
  walk: while (missing.length < BACKFILL_MAX) {
    const page = await sql<{ id: string; event_id: string; type: string; seen: boolean }>`
      select o.id, o.event_id, o.type, d.event_id is not null as seen
        from outbox o
        join connectors c on c.id = ${rules.connectorId}
        left join deliveries d on d.connector_id = ${rules.connectorId} and d.event_id = o.event_id
       where o.store_id = ${message.subject} and o.id < ${before} and o.type in (${types})
         and o.created_at >= c.registered_at
       order by o.id desc
       limit ${BACKFILL_PAGE}`.execute(trx);
    for (const row of page.rows) {
      if (row.seen) break walk;
      missing.push(row);
    }
    if (page.rows.length < BACKFILL_PAGE) break;
    before = page.rows.at(-1)!.id;
  }
  if (missing.length === 0) return 0;
  missing.reverse();
  await trx
    .insertInto('deliveries')
    .values(
      missing.map((m) => ({
        connector_id: rules.connectorId,
        event_id: m.event_id,
        store_id: message.subject,
        type: m.type,
        status: 'waiting' as const,
      })),
    )
    .onConflict((oc) => oc.columns(['connector_id', 'event_id']).doNothing())
    .execute();
  return missing.length;
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
