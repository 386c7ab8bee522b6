import type { CanonicalEvent } from '@poshub/model';
import type { Database } from '@poshub/store';
import { type Kysely, sql } from 'kysely';
import {
  type ReconcileOutcome,
  type ReconcileTarget,
  reconcileBusinessDay,
} from './reconcile-business-day.ts';

/** An event the ingest writer handled, and whether this commit stored it (false: a resend or replay). */
export interface CommittedEvent {
  event: CanonicalEvent;
  stored: boolean;
}

/** A reconciliation run's outcome, or why it failed (the events it follows stay committed). */
export type ReconcileRun = ReconcileOutcome | { kind: 'failed'; target: ReconcileTarget; error: Error };

const keyOf = (t: ReconcileTarget) => `${t.storeId}\u0000${t.businessDay}\u0000${t.workstationKey}`;

/**
 * The closes a day's events may change: every close of the (store, day) pairs given, with its workstation.
 * A close is found by its body, since it has no transaction key (migration 0008 indexes that).
 */
export async function closesOf(
  db: Kysely<Database>,
  days: ReadonlyArray<{ storeId: string; businessDay: string }>,
): Promise<ReconcileTarget[]> {
  if (days.length === 0) return [];
  const rows = await sql<{ store_id: string; business_day: string; workstation_key: string }>`
    select distinct store_id, body->'data'->>'businessDay' as business_day,
           coalesce(body->'data'->>'workstationId', '') as workstation_key
      from events
     where type = ${sql.lit('business_day.closed.v1')}
       and (${sql.join(
         days.map(
           (d) => sql`(store_id = ${d.storeId} and (body->'data'->>'businessDay') = ${d.businessDay})`,
         ),
         sql` or `,
       )})
     order by 1, 2, 3`.execute(db);
  return rows.rows.map((r) => ({
    storeId: r.store_id,
    businessDay: r.business_day,
    workstationKey: r.workstation_key,
  }));
}

/**
 * The step after an ingest commit: a business-day close (stored now, or sent again) is reconciled, and a
 * transaction stored now for a day that already has a close reconciles that close again (a late
 * transaction may close a gap). Runs are idempotent, so a close sent again after a crash between its commit
 * and its reconciliation repairs it. One query for the plain case (no close for the day), none without
 * transactions. Failures are returned, not thrown: the events are committed whatever happens here.
 */
export async function reconcileCommitted(
  db: Kysely<Database>,
  committed: readonly CommittedEvent[],
): Promise<ReconcileRun[]> {
  const targets = new Map<string, ReconcileTarget>();
  const touched = new Map<string, { storeId: string; businessDay: string; workstations: Set<string> }>();
  for (const { event, stored } of committed) {
    if (event.type === 'business_day.closed.v1') {
      const t = {
        storeId: event.subject,
        businessDay: event.data.businessDay,
        workstationKey: event.data.workstationId ?? '',
      };
      targets.set(keyOf(t), t);
      continue;
    }
    const key = (event.data as { key?: { businessDay?: string; workstationId?: string } }).key;
    if (!stored || !key?.businessDay || key.workstationId === undefined) continue;
    const dayKey = `${event.subject}\u0000${key.businessDay}`;
    const day = touched.get(dayKey) ?? {
      storeId: event.subject,
      businessDay: key.businessDay,
      workstations: new Set<string>(),
    };
    touched.set(dayKey, day);
    day.workstations.add(key.workstationId);
  }
  const runs: ReconcileRun[] = [];
  let closes: ReconcileTarget[] = [];
  try {
    closes = await closesOf(db, [...touched.values()]);
  } catch (error) {
    for (const day of touched.values()) {
      const target = { storeId: day.storeId, businessDay: day.businessDay, workstationKey: '*' };
      runs.push({ kind: 'failed', target, error: error as Error });
    }
  }
  for (const close of closes) {
    const day = touched.get(`${close.storeId}\u0000${close.businessDay}`);
    if (close.workstationKey === '' || day?.workstations.has(close.workstationKey))
      targets.set(keyOf(close), close);
  }
  for (const target of targets.values()) {
    try {
      runs.push(await reconcileBusinessDay(db, target));
    } catch (error) {
      runs.push({ kind: 'failed', target, error: error as Error });
    }
  }
  return runs;
}

/** Reconciles every close received for a store's day again (an operator's repair); idempotent. */
export async function reconcileDay(
  db: Kysely<Database>,
  storeId: string,
  businessDay: string,
): Promise<ReconcileOutcome[]> {
  const outcomes: ReconcileOutcome[] = [];
  for (const target of await closesOf(db, [{ storeId, businessDay }])) {
    outcomes.push(await reconcileBusinessDay(db, target));
  }
  return outcomes;
}
