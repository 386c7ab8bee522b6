import type { Database, DeliveryStatus } from '@poshub/store';
import type { DispatchMessage } from '@poshub/transports';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { LaneRules } from './admit-deliveries.ts';

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

/** The final statuses as SQL literals, for `status not in (...)`. */
export const FINAL = sql.join(FINAL_STATUSES.map((s) => sql.lit(s)));

/** Serialises ledger decisions of one connector and store across processes (ordered lanes only). */
export function lockLane(trx: Transaction<Database>, connectorId: string, storeId: string) {
  return sql`select pg_advisory_xact_lock(hashtext(${`poshub.lane.${connectorId}|${storeId}`}))`.execute(trx);
}

/**
 * Locks several stores' lanes in one statement, always in the same (sorted) order, so two batches that
 * share stores cannot deadlock on them.
 */
export async function lockLanes(
  trx: Transaction<Database>,
  connectorId: string,
  storeIds: readonly string[],
): Promise<void> {
  const keys = [...new Set(storeIds)].sort().map((s) => `poshub.lane.${connectorId}|${s}`);
  if (keys.length === 0) return;
  await sql`
    select pg_advisory_xact_lock(hashtext(k))
      from (select k from unnest(array[${sql.join(keys)}]::text[]) k order by k) s`.execute(trx);
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
export async function backfillEarlier(
  trx: Transaction<Database>,
  rules: Pick<LaneRules, 'connectorId' | 'types'>,
  message: Pick<DispatchMessage, 'id' | 'subject'>,
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
 * After events became final: events waiting on them causally stop waiting, and, on an ordered lane, each
 * store's next parked event is released (one at a time per store, so the store's order holds). The lanes
 * of the finals' stores must be locked by the caller; other stores this touches are locked here. Returns
 * the released events, which the caller must publish to the lane.
 */
export async function releaseAfter(
  trx: Transaction<Database>,
  connectorId: string,
  finals: ReadonlyArray<{ eventId: string; storeId: string }>,
  orderedPerStore: boolean,
): Promise<string[]> {
  if (finals.length === 0) return [];
  const dependants = await trx
    .updateTable('deliveries')
    .set({ waiting_on: null, wait_until: null, updated_at: new Date() })
    .where('connector_id', '=', connectorId)
    .where(
      'waiting_on',
      'in',
      finals.map((f) => f.eventId),
    )
    .where('status', '=', 'waiting')
    .returning(['event_id', 'store_id'])
    .execute();
  if (orderedPerStore) {
    const locked = new Set(finals.map((f) => f.storeId));
    await lockLanes(
      trx,
      connectorId,
      dependants.map((d) => d.store_id).filter((s) => !locked.has(s)),
    );
    return releaseNextOfStores(trx, connectorId, [
      ...new Set([...locked, ...dependants.map((d) => d.store_id)]),
    ]);
  }
  if (dependants.length === 0) return [];
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
  return dependants.map((d) => d.event_id);
}

/** For each store, releases its first open event when it is parked and free to go; one statement. */
async function releaseNextOfStores(
  trx: Transaction<Database>,
  connectorId: string,
  storeIds: readonly string[],
): Promise<string[]> {
  if (storeIds.length === 0) return [];
  const released = await sql<{ event_id: string }>`
    with firsts as (
      select f.event_id, f.status, f.waiting_on
        from unnest(array[${sql.join(storeIds)}]::text[]) s(store_id)
        cross join lateral (
          select event_id, status, waiting_on from deliveries
           where connector_id = ${connectorId} and store_id = s.store_id and status not in (${FINAL})
           order by seq limit 1) f)
    update deliveries d set status = 'released', updated_at = now()
      from firsts f
     where d.connector_id = ${connectorId} and d.event_id = f.event_id
       and f.status = 'waiting' and f.waiting_on is null
    returning d.event_id`.execute(trx);
  return released.rows.map((r) => r.event_id);
}

/** Releases the store's first open event when it is parked and free to go. */
export async function releaseNextOfStore(
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
