import type { Database, DeliveryStatus } from '@poshub/store';
import { sql, type Transaction } from 'kysely';

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

/**
 * Serialises ledger decisions of one connector and these stores across processes (ordered lanes), locking
 * in sorted order so that two batches sharing stores cannot deadlock.
 */
export async function lockLanes(
  trx: Transaction<Database>,
  connectorId: string,
  storeIds: readonly string[],
): Promise<void> {
  await sql`select poshub_lock_lanes(${connectorId}, ${textArray(storeIds)})`.execute(trx);
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
 * of the finals' stores must be locked by the caller; other stores this touches are locked by it. Returns
 * the released events, which the caller must publish to the lane.
 */
export async function releaseAfter(
  trx: Transaction<Database>,
  connectorId: string,
  finals: ReadonlyArray<{ eventId: string; storeId: string }>,
  orderedPerStore: boolean,
): Promise<string[]> {
  if (finals.length === 0) return [];
  const released = await sql<{ id: string }>`
    select r as id from poshub_release_after(${connectorId}, ${orderedPerStore},
      ${textArray(finals.map((f) => f.eventId))}, ${textArray(finals.map((f) => f.storeId))}) r`.execute(trx);
  return released.rows.map((r) => r.id);
}

/** A text[] literal of parameters (an empty array included). */
export function textArray(values: readonly string[]) {
  return values.length === 0
    ? sql`'{}'::text[]`
    : sql`array[${sql.join(values.map((v) => sql`${v}`))}]::text[]`;
}
