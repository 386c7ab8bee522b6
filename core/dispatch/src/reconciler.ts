import type { Database } from '@poshub/store';
import type { Transport } from '@poshub/transports';
import { type Kysely, sql } from 'kysely';
import { lockLanes, releaseAfter } from './delivery-ledger.ts';
import type { DeliveryTarget } from './delivery-target.ts';
import { messagesForEvents } from './event-messages.ts';

/** Options of the reconciler. */
export interface ReconcilerOptions {
  /**
   * How long a published event may go without a word from a connector before it is sent to that connector
   * again. Default 5 minutes. Also the age after which a released or retrying delivery counts as lost.
   */
  boundMs?: number;
  /** How far back it looks for events published without any ledger row. Default 7 days. */
  horizonMs?: number;
  /** Events republished per connector per round. Default 500. */
  batchSize?: number;
}

/** What one round found and did, per connector. */
export interface ReconcileReport {
  connectorId: string;
  /** Published, subscribed, never seen by the connector: republished. */
  unseen: number;
  /** Released, retrying or in flight for longer than the bound: republished. */
  stalled: number;
  /** Causal waits that ran out: released, or dead-lettered, per the connector's policy. */
  waitsExpired: number;
}

/**
 * End-to-end reconciliation: a broker's confirm is not proof of delivery (a single-node RabbitMQ quorum
 * queue killed within a second of its confirms has been seen to lose them), so the ledger is compared with
 * what was published, and whatever a connector has not acknowledged within the bound is published to it
 * again. Duplicates this causes are absorbed by the ledger.
 */
export class Reconciler {
  readonly #db: Kysely<Database>;
  readonly #transport: Transport;
  readonly #targets: readonly DeliveryTarget[];
  readonly #boundMs: number;
  readonly #horizonMs: number;
  readonly #batchSize: number;

  constructor(
    db: Kysely<Database>,
    transport: Transport,
    targets: readonly DeliveryTarget[],
    options: ReconcilerOptions = {},
  ) {
    this.#db = db;
    this.#transport = transport;
    this.#targets = targets;
    this.#boundMs = options.boundMs ?? 5 * 60_000;
    this.#horizonMs = options.horizonMs ?? 7 * 24 * 3600_000;
    this.#batchSize = options.batchSize ?? 500;
  }

  /** One pass over every connector. */
  async runOnce(): Promise<ReconcileReport[]> {
    const reports: ReconcileReport[] = [];
    for (const target of this.#targets) reports.push(await this.#reconcile(target));
    return reports;
  }

  async #reconcile(target: DeliveryTarget): Promise<ReconcileReport> {
    const bound = `${this.#boundMs} milliseconds`;
    const horizon = `${this.#horizonMs} milliseconds`;
    const unseen = await sql<{ id: string }>`
      select e.id from outbox o
        join events e on e.id = o.event_id
        join connectors c on c.id = ${target.id}
       where o.published_at is not null
         and o.published_at < now() - ${bound}::interval
         and o.published_at > now() - ${horizon}::interval
         and e.type in (${sql.join([...target.types])})
         and e.received_at >= c.registered_at
         and not exists (select 1 from deliveries d where d.connector_id = ${target.id} and d.event_id = e.id)
       order by o.id
       limit ${this.#batchSize}`.execute(this.#db);

    const staleInFlight = `${this.#boundMs + (target.timeoutMs ?? 30_000)} milliseconds`;
    // A delivery in flight for longer than the bound plus the connector's timeout belongs to a process that
    // died (or lost its database) mid-attempt: it is released, so the republished message goes ahead
    // rather than being taken as still busy (the touch below would otherwise keep it looking busy forever).
    const stalled = await sql<{ event_id: string }>`
      update deliveries
         set updated_at = now(),
             status = case when status = 'pending' then 'released' else status end
       where connector_id = ${target.id}
         and event_id in (
           select event_id from deliveries
            where connector_id = ${target.id}
              and ((status = 'released' and updated_at < now() - ${bound}::interval)
                or (status = 'retrying' and next_attempt_at < now() - ${bound}::interval
                    and updated_at < now() - ${bound}::interval)
                or (status = 'pending' and updated_at < now() - ${staleInFlight}::interval))
            order by seq
            limit ${this.#batchSize})
      returning event_id`.execute(this.#db);

    const waitsExpired = await this.#expireWaits(target);

    const ids = [...unseen.rows.map((r) => r.id), ...stalled.rows.map((r) => r.event_id), ...waitsExpired];
    if (ids.length > 0) {
      await this.#transport.publishTo(target.id, await messagesForEvents(this.#db, target.id, ids));
    }
    return {
      connectorId: target.id,
      unseen: unseen.rows.length,
      stalled: stalled.rows.length,
      waitsExpired: waitsExpired.length,
    };
  }

  /** Causal waits past their bound: per policy, go ahead without the original, or dead-letter. */
  async #expireWaits(target: DeliveryTarget): Promise<string[]> {
    const ordered = target.orderedPerStore ?? false;
    return this.#db.transaction().execute(async (trx) => {
      const expired = await trx
        .selectFrom('deliveries')
        .select(['event_id', 'store_id', 'waiting_on'])
        .where('connector_id', '=', target.id)
        .where('status', '=', 'waiting')
        .where('waiting_on', 'is not', null)
        .where('wait_until', '<', new Date())
        .limit(this.#batchSize)
        .execute();
      const release: string[] = [];
      for (const row of expired) {
        if (target.causalTimeout === 'dead') {
          await trx
            .updateTable('deliveries')
            .set({
              status: 'dead',
              waiting_on: null,
              updated_at: new Date(),
              last_error_type: 'causal_timeout',
              last_error_message: `event ${row.waiting_on} it refers to did not reach the connector in time`,
            })
            .where('connector_id', '=', target.id)
            .where('event_id', '=', row.event_id)
            .execute();
          if (ordered) await lockLanes(trx, target.id, [row.store_id]);
          release.push(
            ...(await releaseAfter(
              trx,
              target.id,
              [{ eventId: row.event_id, storeId: row.store_id }],
              ordered,
            )),
          );
        } else {
          await trx
            .updateTable('deliveries')
            .set({ status: 'released', waiting_on: null, updated_at: new Date() })
            .where('connector_id', '=', target.id)
            .where('event_id', '=', row.event_id)
            .execute();
          release.push(row.event_id);
        }
      }
      return release;
    });
  }
}
