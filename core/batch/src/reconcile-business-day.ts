import { createHash } from 'node:crypto';
import { type BusinessDayClose, BusinessDayReconciliation, makeEvent } from '@poshub/model';
import { appendEvents, type Database } from '@poshub/store';
import { type Kysely, sql } from 'kysely';
import { compareClose } from './compare-close.ts';
import { readDayReceipts } from './read-day-receipts.ts';
import { reconciliationDb } from './reconciliation-tables.ts';

/** The close to reconcile: a store's day, and its workstation ('' for a store-wide close). */
export interface ReconcileTarget {
  storeId: string;
  businessDay: string;
  workstationKey: string;
}

/** What one reconciliation run did. */
export type ReconcileOutcome =
  /** No close received for the target. */
  | { kind: 'no_close'; target: ReconcileTarget }
  /** Same inputs as the stored result: nothing written, no event. */
  | { kind: 'unchanged'; target: ReconcileTarget; result: BusinessDayReconciliation }
  /** A new version stored and emitted as a business_day.reconciled.v1 event (through the outbox). */
  | {
      kind: 'changed';
      target: ReconcileTarget;
      result: BusinessDayReconciliation;
      previous: BusinessDayReconciliation['status'] | undefined;
      eventId: string;
    };

/** The event source of reconciliation results. */
export const RECONCILIATION_SOURCE = '/poshub/reconciliations';

/**
 * Compares the last close received for a store, day and workstation with what the hub holds for them, in
 * one transaction under an advisory lock on the target (two processes reconciling the same close take
 * turns; the second sees every event the first did, and more). When the comparison differs from the stored
 * one, the new version is stored and its event appended with an outbox row; the same inputs change nothing.
 */
export async function reconcileBusinessDay(
  db: Kysely<Database>,
  target: ReconcileTarget,
  now: () => Date = () => new Date(),
): Promise<ReconcileOutcome> {
  return db.transaction().execute(async (trx) => {
    const { storeId, businessDay, workstationKey } = target;
    const lock = `poshub.reconcile|${storeId}|${businessDay}|${workstationKey}`;
    await sql`select pg_advisory_xact_lock(hashtextextended(${lock}, 0))`.execute(trx);
    // The type is written into the statement so the planner can use the partial index on closes.
    const close = await sql<{ id: string; data: BusinessDayClose }>`
      select id, body->'data' as data from events
       where type = ${sql.lit('business_day.closed.v1')}
         and store_id = ${storeId}
         and (body->'data'->>'businessDay') = ${businessDay}
         and coalesce(body->'data'->>'workstationId', '') = ${workstationKey}
       order by received_at desc, id desc
       limit 1`.execute(trx);
    const latest = close.rows[0];
    if (!latest) return { kind: 'no_close', target };

    const receipts = await readDayReceipts(trx, {
      storeId,
      businessDay,
      workstationId: workstationKey === '' ? undefined : workstationKey,
    });
    const comparison = compareClose(latest.data, receipts);
    const fingerprint = createHash('sha256')
      .update(JSON.stringify({ closeEventId: latest.id, ...comparison }))
      .digest('hex');
    const rdb = reconciliationDb(trx);
    const stored = await rdb
      .selectFrom('business_day_reconciliations')
      .select(['version', 'fingerprint', 'status', 'result'])
      .where('store_id', '=', storeId)
      .where('business_day', '=', businessDay)
      .where('workstation_key', '=', workstationKey)
      .executeTakeFirst();
    if (stored?.fingerprint === fingerprint) return { kind: 'unchanged', target, result: stored.result };

    const version = (stored?.version ?? 0) + 1;
    const reconciledAt = now().toISOString();
    const result = BusinessDayReconciliation.parse({
      storeId,
      ...(workstationKey === '' ? {} : { workstationId: workstationKey }),
      businessDay,
      version,
      status: comparison.status,
      closeEventId: latest.id,
      reconciledAt,
      till: comparison.till,
      received: comparison.received,
      missing: comparison.missing,
      differences: comparison.differences,
    });
    // The version is in the identity: a result that returns to an earlier state is still a new event.
    const event = makeEvent('business_day.reconciled.v1', result, {
      source: RECONCILIATION_SOURCE,
      subject: storeId,
      identity: `${storeId}|${workstationKey}|${businessDay}|${version}`,
      time: reconciledAt,
    });
    const data = JSON.stringify(result);
    await appendEvents(trx, [
      {
        id: event.id,
        type: event.type,
        storeId,
        contentHash: createHash('sha256').update(data).digest('hex'),
        body: JSON.stringify(event),
      },
    ]);
    const row = {
      version,
      status: result.status,
      fingerprint,
      close_event_id: latest.id,
      event_id: event.id,
      result: data,
      updated_at: new Date(reconciledAt),
    };
    await rdb
      .insertInto('business_day_reconciliations')
      .values({ store_id: storeId, business_day: businessDay, workstation_key: workstationKey, ...row })
      .onConflict((oc) => oc.columns(['store_id', 'business_day', 'workstation_key']).doUpdateSet(row))
      .execute();
    return { kind: 'changed', target, result, previous: stored?.status, eventId: event.id };
  });
}
