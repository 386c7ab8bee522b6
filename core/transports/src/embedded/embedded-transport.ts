import { randomUUID } from 'node:crypto';
import { type Database, GroupCommit } from '@poshub/store';
import { type Kysely, sql } from 'kysely';
import type { DispatchMessage } from '../dispatch-message.ts';
import { KeyedRunner } from '../keyed-runner.ts';
import { settleDelivery } from '../settle-delivery.ts';
import {
  assertLaneId,
  type ConsumeOptions,
  type DeadLetter,
  type DeliveryHandler,
  type LaneConsumer,
  lanesFor,
  type Topology,
  type Transport,
} from '../transport.ts';

/** Options of the embedded PostgreSQL queue. */
export interface EmbeddedTransportOptions {
  /**
   * How long a claimed message stays invisible to other consumers. Leases of messages still in a handler
   * are renewed every third of this, so it bounds how long a crashed process's messages wait. Default 10 s.
   */
  leaseMs?: number;
  /** How often an idle consumer looks for new messages. Default 25 ms. */
  pollMs?: number;
}

const INSERT_CHUNK = 1000;

/**
 * The default transport on one machine: a queue table in the hub's own PostgreSQL (or PGlite), claimed with
 * a lease. Publishing is a committed insert. One claim at a time per lane (an advisory lock) keeps the
 * order per store across processes; a retried message goes to the back of its lane, so it holds nobody up.
 */
export class EmbeddedTransport implements Transport {
  readonly kind = 'embedded' as const;
  readonly #db: Kysely<Database>;
  readonly #leaseMs: number;
  readonly #pollMs: number;
  readonly #owner = randomUUID();
  readonly #consumers = new Set<EmbeddedConsumer>();
  #topology: Topology = { lanes: [] };

  constructor(db: Kysely<Database>, options: EmbeddedTransportOptions = {}) {
    this.#db = db;
    this.#leaseMs = options.leaseMs ?? 10_000;
    this.#pollMs = options.pollMs ?? 25;
  }

  async setup(topology: Topology): Promise<void> {
    for (const lane of topology.lanes) assertLaneId(lane.id);
    const known = new Map(this.#topology.lanes.map((l) => [l.id, l]));
    for (const lane of topology.lanes) known.set(lane.id, lane);
    this.#topology = { lanes: [...known.values()] };
  }

  async publish(messages: readonly DispatchMessage[]): Promise<void> {
    const rows = messages.flatMap((message) =>
      lanesFor(this.#topology, message.type).map((lane) => rowOf(lane.id, message)),
    );
    await this.#insert(rows);
  }

  /**
   * Publishes inside the caller's transaction, so the outbox relay marks rows published and enqueues them
   * atomically: on the embedded queue a message is published exactly once.
   */
  async publishInTransaction(trx: Kysely<Database>, messages: readonly DispatchMessage[]): Promise<void> {
    const rows = messages.flatMap((message) =>
      lanesFor(this.#topology, message.type).map((lane) => rowOf(lane.id, message)),
    );
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await trx
        .insertInto('queue_messages')
        .values(rows.slice(i, i + INSERT_CHUNK))
        .execute();
    }
  }

  async publishTo(lane: string, messages: readonly DispatchMessage[]): Promise<void> {
    assertLaneId(lane);
    await this.#insert(messages.map((message) => rowOf(lane, message)));
  }

  async consume(lane: string, handler: DeliveryHandler, options: ConsumeOptions = {}): Promise<LaneConsumer> {
    assertLaneId(lane);
    const consumer = new EmbeddedConsumer(this.#db, lane, handler, {
      owner: this.#owner,
      leaseMs: this.#leaseMs,
      pollMs: this.#pollMs,
      maxInFlight: options.maxInFlight ?? 16,
      perStoreOrder: options.perStoreOrder ?? true,
    });
    this.#consumers.add(consumer);
    consumer.start();
    return {
      stop: async (graceMs) => {
        await consumer.stop(graceMs);
        this.#consumers.delete(consumer);
      },
    };
  }

  async takeDeadLetters(
    lane: string,
    options: { max?: number; waitMs?: number } = {},
  ): Promise<DeadLetter[]> {
    assertLaneId(lane);
    const deadline = Date.now() + (options.waitMs ?? 0);
    for (;;) {
      const rows = await sql<{ id: string; message: DispatchMessage; dead_reason: string }>`
        delete from queue_messages where id in (
          select id from queue_messages where lane = ${lane} and dead_reason is not null
          order by id limit ${options.max ?? 100} for update skip locked)
        returning message, dead_reason, id`.execute(this.#db);
      const letters = rows.rows
        // DELETE ... RETURNING does not keep the subquery's order.
        .sort((a, b) => Number(a.id) - Number(b.id))
        .map((r) => ({ message: r.message, reason: r.dead_reason }));
      if (letters.length > 0 || Date.now() >= deadline) return letters;
      await sleep(Math.min(100, Math.max(1, deadline - Date.now())));
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#consumers].map((c) => c.stop(0)));
    this.#consumers.clear();
  }

  async #insert(rows: Array<{ lane: string; store_id: string; message: string }>): Promise<void> {
    if (rows.length === 0) return;
    await this.#db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await trx
          .insertInto('queue_messages')
          .values(rows.slice(i, i + INSERT_CHUNK))
          .execute();
      }
    });
  }
}

function rowOf(lane: string, message: DispatchMessage) {
  return { lane, store_id: message.subject, message: JSON.stringify(message) };
}

interface ClaimedRow {
  id: string;
  store_id: string;
  message: DispatchMessage;
  delivery_count: number;
}

class EmbeddedConsumer {
  readonly #db: Kysely<Database>;
  readonly #lane: string;
  readonly #handler: DeliveryHandler;
  readonly #owner: string;
  readonly #leaseMs: number;
  readonly #pollMs: number;
  readonly #runner: KeyedRunner;
  readonly #perStoreOrder: boolean;
  readonly #held = new Set<string>();
  /** Acks of deliveries that end together share one statement. */
  readonly #acks: GroupCommit<string, undefined>;
  #running = false;
  #loop: Promise<void> | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;

  constructor(
    db: Kysely<Database>,
    lane: string,
    handler: DeliveryHandler,
    options: {
      owner: string;
      leaseMs: number;
      pollMs: number;
      maxInFlight: number;
      perStoreOrder: boolean;
    },
  ) {
    this.#db = db;
    this.#lane = lane;
    this.#handler = handler;
    this.#owner = `${options.owner}:${randomUUID()}`;
    this.#leaseMs = options.leaseMs;
    this.#pollMs = options.pollMs;
    this.#runner = new KeyedRunner(options.maxInFlight);
    this.#perStoreOrder = options.perStoreOrder;
    this.#acks = new GroupCommit(
      async (ids) => {
        await sql`delete from queue_messages where id in (${sql.join(ids)}) and lease_owner = ${this.#owner}`.execute(
          this.#db,
        );
        return ids.map(() => undefined);
      },
      { maxBatch: 256, concurrency: 1 },
    );
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#claimLoop();
    this.#heartbeat = setInterval(() => void this.#renewLeases(), Math.max(50, this.#leaseMs / 3));
  }

  async stop(graceMs = 10_000): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    await Promise.race([this.#runner.idle(), sleep(graceMs)]);
    clearInterval(this.#heartbeat);
    // Whatever is still held stays leased until the lease runs out, then another consumer gets it.
    this.#held.clear();
  }

  async #claimLoop(): Promise<void> {
    while (this.#running) {
      const free = this.#runner.freeSlots;
      let claimed: ClaimedRow[] = [];
      if (free > 0) {
        try {
          claimed = await this.#claim(free);
        } catch {
          // The database is away (restart, failover): try again after a pause, keep what is in flight.
          await this.#pause(500);
          continue;
        }
      }
      for (const row of claimed) {
        this.#held.add(row.id);
        this.#runner.add(this.#perStoreOrder ? row.store_id : row.id, () => this.#deliver(row));
      }
      if (claimed.length === 0) await this.#pause(this.#pollMs);
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  /**
   * Claims up to `limit` messages in id order, skipping any store that has an earlier message in flight or
   * ready, so a store's messages go out one after another. The advisory lock makes claims of one lane take
   * turns across processes, which is what keeps that rule true between them.
   */
  #claim(limit: number): Promise<ClaimedRow[]> {
    const lane = this.#lane;
    return this.#db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`poshub.queue.${lane}`}))`.execute(trx);
      const result = await sql<ClaimedRow>`
        update queue_messages q
           set leased_until = now() + ${`${this.#leaseMs} milliseconds`}::interval,
               lease_owner = ${this.#owner},
               delivery_count = q.delivery_count + 1
         where q.id in (
           select m.id from queue_messages m
            where m.lane = ${lane} and m.dead_reason is null and m.available_at <= now()
              and (m.leased_until is null or m.leased_until < now())
              and (not ${this.#perStoreOrder} or not exists (
                select 1 from queue_messages e
                 where e.lane = m.lane and e.store_id = m.store_id and e.dead_reason is null and e.id < m.id
                   and e.leased_until >= now()))
            order by m.id limit ${limit})
        returning q.id, q.store_id, q.message, q.delivery_count`.execute(trx);
      return result.rows.sort((a, b) => Number(a.id) - Number(b.id));
    });
  }

  async #deliver(row: ClaimedRow): Promise<void> {
    const disposition = await settleDelivery(this.#handler, {
      message: row.message,
      deliveryCount: row.delivery_count,
    });
    if (!this.#held.has(row.id)) return; // abandoned by stop(): the lease decides
    const mine = sql`id = ${row.id} and lease_owner = ${this.#owner}`;
    try {
      if (disposition.kind === 'ack') {
        await this.#acks.submit(row.id);
      } else if (disposition.kind === 'retry') {
        await sql`
          update queue_messages
             set id = nextval(pg_get_serial_sequence('queue_messages', 'id')),
                 available_at = now() + ${`${Math.ceil(disposition.delayMs)} milliseconds`}::interval,
                 leased_until = null, lease_owner = null
           where ${mine}`.execute(this.#db);
      } else {
        await sql`
          update queue_messages set dead_reason = ${disposition.reason}, leased_until = null, lease_owner = null
           where ${mine}`.execute(this.#db);
      }
    } catch {
      // Not settled: the lease runs out and the message is delivered again, which the ledger absorbs.
    } finally {
      this.#held.delete(row.id);
    }
  }

  async #renewLeases(): Promise<void> {
    if (this.#held.size === 0) return;
    const ids = [...this.#held];
    await sql`
      update queue_messages set leased_until = now() + ${`${this.#leaseMs} milliseconds`}::interval
       where id in (${sql.join(ids)}) and lease_owner = ${this.#owner}`
      .execute(this.#db)
      .catch(() => undefined);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
