import type { Database } from '@poshub/store';
import { type Kysely, sql } from 'kysely';
import type { ExportPosition } from './export-cursor.ts';
import { RETAIL_EVENT_TYPES } from './retail-event-types.ts';

/** A snapshot, or why none could be taken now. */
export type SnapshotOutcome =
  | { ok: true; position: ExportPosition }
  /** Transactions that were running at the first page did not finish in time: retry shortly. */
  | { ok: false; error: 'busy' };

/**
 * Fixes the snapshot of a store's day that an export (all its pages, resumed or not) and its summary read:
 * every journal event whose outbox id is at most the highest id committed now.
 *
 * An id bound alone is not a snapshot: ids are drawn when a row is inserted, not when it commits, so a
 * transaction still running may hold a lower id and commit it after the first page, and a resumed export
 * would then see an event the first page's snapshot did not. So the bound is read first, then the
 * transactions running at that moment (pg_current_snapshot) are waited for: once they have ended, no row at
 * or below the bound can ever appear again, and `outbox.id <= bound` names the same set of events for every
 * later page, whatever keeps arriving. (On PGlite, one session, nothing else is ever running.)
 */
export async function openExportSnapshot(
  db: Kysely<Database>,
  storeId: string,
  businessDay: string,
  opts: { waitMs?: number } = {},
): Promise<SnapshotOutcome> {
  const bound = await sql<{ bound: string }>`select coalesce(max(id), 0)::text as bound from outbox`.execute(
    db,
  );
  const snap = await sql<{ snap: string }>`select pg_current_snapshot()::text as snap`.execute(db);
  const deadline = Date.now() + (opts.waitMs ?? 10_000);
  for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
    const running = await sql<{ n: number }>`
      select count(*)::int as n from pg_snapshot_xip(${snap.rows[0]!.snap}::pg_snapshot) as x
       where pg_xact_status(x) = 'in progress'`.execute(db);
    if (running.rows[0]!.n === 0) break;
    if (Date.now() > deadline) return { ok: false, error: 'busy' };
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  const b = bound.rows[0]!.bound;
  return {
    ok: true,
    position: {
      storeId,
      businessDay,
      bound: b,
      ...(await snapshotStart(db, storeId, businessDay, b)),
      sent: 0,
    },
  };
}

/** Where a snapshot of a store's day starts (below its first event) and how many events it holds. */
export async function snapshotStart(
  db: Kysely<Database>,
  storeId: string,
  businessDay: string,
  bound: string,
): Promise<{ after: string; total: number }> {
  const first = await sql<{ after: string; total: number }>`
    select (coalesce(min(o.id), 1) - 1)::text as after, count(*)::int as total
      from events e join outbox o on o.event_id = e.id
     where e.store_id = ${storeId} and e.business_day = ${businessDay}
       and e.type in (${sql.join(RETAIL_EVENT_TYPES)}) and o.id <= ${bound}::bigint`.execute(db);
  return first.rows[0]!;
}
