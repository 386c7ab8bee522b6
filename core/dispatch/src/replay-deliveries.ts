import type { Database, DeliveryStatus } from '@poshub/store';
import type { Transport } from '@poshub/transports';
import { type Kysely, sql } from 'kysely';
import { messagesForEvents } from './event-messages.ts';
import type { DeliveryFilter } from './list-deliveries.ts';

/** What to send one connector again: named events, a DLQ filter, or everything since an instant. */
export interface ReplayRequest {
  connector: string;
  /** Exactly these events (a replay of one, or a re-sync's findings). */
  eventIds?: readonly string[];
  /** Every delivery matching this filter; the default status is `dead` (the DLQ). */
  filter?: Omit<DeliveryFilter, 'connector'>;
  /** Every event of the connector's types received at or after this instant, applied or not, seen or not. */
  since?: Date;
  /** Say what would be sent, send nothing. */
  dryRun: boolean;
  actor: string;
  /** At most this many events. Default 10,000. */
  limit?: number;
}

/** One event a replay sends (or would send). */
export interface ReplayItem {
  eventId: string;
  type: string;
  store: string;
  /** Where the delivery stood before the replay; `unseen` when the connector had no record of it. */
  was: DeliveryStatus | 'unseen';
  /** Whether an operator's edit replaces the event's data. */
  edited: boolean;
}

/** What a replay did (or, dry, would do). */
export interface ReplayPlan {
  connector: string;
  dryRun: boolean;
  count: number;
  /** More events matched than the limit: run it again for the rest. */
  truncated: boolean;
  items: ReplayItem[];
}

const REPLAY_STATUSES: readonly DeliveryStatus[] = [
  'dead',
  'applied',
  'skipped',
  'retrying',
  'waiting',
  'released',
  'pending',
];

/**
 * Sends events to one connector again, in the order poshub received them. The ledger rows are set back to
 * `released` with a fresh retry budget (the attempt history stays), so the ledger lets them through once
 * more; an operator's latest edit, if any, replaces the data. Every replay is audited.
 */
export async function replayDeliveries(
  db: Kysely<Database>,
  transport: Transport,
  request: ReplayRequest,
  connectorTypes: readonly string[],
): Promise<ReplayPlan> {
  const limit = Math.min(request.limit ?? 10_000, 10_000);
  const items = await findReplayItems(db, request, connectorTypes, limit + 1);
  const truncated = items.length > limit;
  const chosen = items.slice(0, limit);
  const plan: ReplayPlan = {
    connector: request.connector,
    dryRun: request.dryRun,
    count: chosen.length,
    truncated,
    items: chosen,
  };
  if (request.dryRun || chosen.length === 0) return plan;

  await db.transaction().execute(async (trx) => {
    const seen = chosen.filter((i) => i.was !== 'unseen').map((i) => i.eventId);
    if (seen.length > 0) {
      await trx
        .updateTable('deliveries')
        .set({
          status: 'released',
          attempts: 0,
          waiting_on: null,
          wait_until: null,
          next_attempt_at: null,
          updated_at: new Date(),
        })
        .where('connector_id', '=', request.connector)
        .where('event_id', 'in', seen)
        .execute();
    }
    const unseen = chosen.filter((i) => i.was === 'unseen');
    if (unseen.length > 0) {
      await trx
        .insertInto('deliveries')
        .values(
          unseen.map((i) => ({
            connector_id: request.connector,
            event_id: i.eventId,
            store_id: i.store,
            type: i.type,
            status: 'released' as const,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['connector_id', 'event_id']).doUpdateSet({ status: 'released', attempts: 0 }),
        )
        .execute();
    }
    await trx
      .insertInto('dispatch_audit')
      .values({
        actor: request.actor,
        action: 'replay',
        connector_id: request.connector,
        detail: JSON.stringify({
          eventIds: request.eventIds,
          filter: request.filter,
          since: request.since?.toISOString(),
          count: chosen.length,
          truncated,
        }),
      })
      .execute();
  });
  for (let i = 0; i < chosen.length; i += 500) {
    const ids = chosen.slice(i, i + 500).map((c) => c.eventId);
    await transport.publishTo(request.connector, await messagesForEvents(db, request.connector, ids));
  }
  return plan;
}

async function findReplayItems(
  db: Kysely<Database>,
  request: ReplayRequest,
  connectorTypes: readonly string[],
  limit: number,
): Promise<ReplayItem[]> {
  const connector = request.connector;
  const edited = sql<boolean>`exists (select 1 from payload_edits p where p.connector_id = ${connector} and p.event_id = e.id)`;
  if (request.eventIds || request.since) {
    if (connectorTypes.length === 0) return [];
    let q = db
      .selectFrom('events as e')
      .leftJoin('deliveries as d', (j) =>
        j.onRef('d.event_id', '=', 'e.id').on('d.connector_id', '=', connector),
      )
      .select(['e.id', 'e.type', 'e.store_id', 'd.status', edited.as('edited')])
      .where('e.training', '=', false);
    if (request.eventIds)
      q = q.where('e.id', 'in', request.eventIds.length > 0 ? [...request.eventIds] : ['']);
    if (request.since)
      q = q.where('e.received_at', '>=', request.since).where('e.type', 'in', [...connectorTypes]);
    const rows = await q.orderBy('e.received_at').orderBy('e.id').limit(limit).execute();
    return rows.map((r) => ({
      eventId: r.id,
      type: r.type,
      store: r.store_id,
      was: r.status ?? 'unseen',
      edited: !!r.edited,
    }));
  }
  const f = request.filter ?? {};
  let q = db
    .selectFrom('deliveries as d')
    .innerJoin('events as e', 'e.id', 'd.event_id')
    .select(['e.id', 'e.type', 'e.store_id', 'd.status', edited.as('edited')])
    .where('d.connector_id', '=', connector)
    .where(
      'd.status',
      'in',
      [...(f.status ?? ['dead'])].filter((s) => REPLAY_STATUSES.includes(s)),
    );
  if (f.store) q = q.where('d.store_id', '=', f.store);
  if (f.type) q = q.where('d.type', '=', f.type);
  if (f.errorType) q = q.where('d.last_error_type', '=', f.errorType);
  if (f.from) q = q.where('d.updated_at', '>=', f.from);
  if (f.to) q = q.where('d.updated_at', '<', f.to);
  const rows = await q.orderBy('d.seq').limit(limit).execute();
  return rows.map((r) => ({
    eventId: r.id,
    type: r.type,
    store: r.store_id,
    was: r.status,
    edited: !!r.edited,
  }));
}
