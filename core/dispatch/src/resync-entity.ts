import type { Database } from '@poshub/store';
import type { Transport } from '@poshub/transports';
import { type Kysely, sql } from 'kysely';
import { type ReplayPlan, replayDeliveries } from './replay-deliveries.ts';

/** The one thing to send a connector again, with every event about it. */
export type EntityRef =
  /** An event id, or a business key `store|workstation|businessDay|sequence`. */
  | { kind: 'transaction'; id: string }
  /** A SKU: every transaction line and stock movement of it. */
  | { kind: 'sku'; id: string }
  /** A customer id: their upserts and the transactions that name them. */
  | { kind: 'customer'; id: string };

/** Options of a re-sync. */
export interface ResyncRequest {
  connector: string;
  entity: EntityRef;
  /** Only events received at or after this instant. Default: 30 days ago. */
  since?: Date;
  dryRun: boolean;
  actor: string;
}

/**
 * Targeted re-sync: finds every event about one transaction, SKU or customer that the connector subscribes
 * to and replays them to it, in the order poshub received them (so the target ends in the latest state).
 */
export async function resyncEntity(
  db: Kysely<Database>,
  transport: Transport,
  request: ResyncRequest,
  connectorTypes: readonly string[],
): Promise<ReplayPlan> {
  const since = request.since ?? new Date(Date.now() - 30 * 24 * 3600_000);
  const id = request.entity.id;
  let q = db
    .selectFrom('events')
    .select('id')
    .where('received_at', '>=', since)
    .where('type', 'in', connectorTypes.length > 0 ? [...connectorTypes] : ['']);
  switch (request.entity.kind) {
    case 'transaction':
      q = q.where((eb) => eb.or([eb('id', '=', id), eb('business_key', '=', id)]));
      break;
    case 'sku':
      q = q.where(
        sql<boolean>`body -> 'data' -> 'lines' @> ${JSON.stringify([{ item: { sku: id } }])}::jsonb`,
      );
      break;
    case 'customer':
      q = q.where((eb) =>
        eb.or([
          sql<boolean>`body -> 'data' ->> 'customerId' = ${id}`,
          sql<boolean>`body -> 'data' -> 'customer' ->> 'customerId' = ${id}`,
        ]),
      );
      break;
  }
  const found = await q.orderBy('received_at').orderBy('id').limit(10_001).execute();
  return replayDeliveries(
    db,
    transport,
    {
      connector: request.connector,
      eventIds: found.map((r) => r.id),
      dryRun: request.dryRun,
      actor: request.actor,
    },
    connectorTypes,
  );
}
