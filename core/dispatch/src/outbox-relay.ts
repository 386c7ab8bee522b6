import type { CanonicalEvent } from '@poshub/model';
import type { Database } from '@poshub/store';
import { type DispatchMessage, dispatchMessageOf, type Transport } from '@poshub/transports';
import { type Kysely, sql } from 'kysely';

/** A transport that can publish inside the relay's own database transaction (the embedded queue). */
export interface TransactionalPublisher {
  publishInTransaction(trx: Kysely<Database>, messages: readonly DispatchMessage[]): Promise<void>;
}

function isTransactionalPublisher(t: unknown): t is TransactionalPublisher {
  return typeof (t as Partial<TransactionalPublisher>).publishInTransaction === 'function';
}

/** Options of the relay. */
export interface OutboxRelayOptions {
  /** Outbox rows published per round. Default 500. */
  batchSize?: number;
  /**
   * Event bytes per round (as stored): a round stops adding rows past it, so a backlog of import batches
   * (up to ~100 KB each) does not pull hundreds of megabytes into memory at once. Default 8 MiB; the
   * first row always goes.
   */
  maxBytes?: number;
  /** Pause when the outbox is empty. Default 25 ms. */
  pollMs?: number;
  /** Told about each failed round (the relay goes on, with backoff). */
  onError?: (error: unknown) => void;
  /** Told how many rows each round published. */
  onPublished?: (count: number, oldestCreatedAt: Date | undefined) => void;
}

interface OutboxRow {
  id: string;
  created_at: Date;
  traceparent: string | null;
  tracestate: string | null;
  body: CanonicalEvent;
}

/**
 * Publishes committed outbox rows to the transport and marks them published only after the broker
 * confirmed them, in the same database transaction that holds them locked: a crash in between leaves the
 * rows unpublished, to be sent again (a duplicate the delivery ledger absorbs), never lost.
 *
 * Rows are claimed by status, not by "last id seen": ids are allocated before commit, so a row with a lower
 * id can become visible after a higher one and a cursor would skip it. One relay round runs at a time
 * across processes (an advisory lock), and rows go out in id order, so one store's events reach the broker
 * in the order they committed.
 */
export class OutboxRelay {
  readonly #db: Kysely<Database>;
  readonly #transport: Transport;
  readonly #batchSize: number;
  readonly #maxBytes: number;
  readonly #pollMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #onPublished: ((count: number, oldest: Date | undefined) => void) | undefined;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** The last round stopped at its byte budget: more rows are waiting. */
  #cut = false;

  constructor(db: Kysely<Database>, transport: Transport, options: OutboxRelayOptions = {}) {
    this.#db = db;
    this.#transport = transport;
    this.#batchSize = options.batchSize ?? 500;
    this.#maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
    this.#pollMs = options.pollMs ?? 25;
    this.#onError = options.onError ?? (() => {});
    this.#onPublished = options.onPublished;
  }

  /** Publishes one batch; returns how many rows it published (0 when another relay holds the turn). */
  runOnce(): Promise<number> {
    return this.#db.transaction().execute(async (trx) => {
      const turn = await sql<{
        ok: boolean;
      }>`select pg_try_advisory_xact_lock(hashtext('poshub.outbox.relay')) as ok`.execute(trx);
      if (!turn.rows[0]?.ok) return 0;
      // Sizes first (no bodies), then the bodies of the rows that fit the round's byte budget.
      const claimed = await sql<{ id: string; bytes: number }>`
        select o.id, pg_column_size(e.body) as bytes
          from outbox o join events e on e.id = o.event_id
         where o.published_at is null
         order by o.id
         limit ${this.#batchSize}
           for update of o skip locked`.execute(trx);
      if (claimed.rows.length === 0) return 0;
      let budget = this.#maxBytes;
      const ids = claimed.rows
        .filter((r, i) => {
          budget -= Number(r.bytes);
          return i === 0 || budget >= 0;
        })
        .map((r) => r.id);
      const found = await sql<OutboxRow>`
        select o.id, o.created_at, o.traceparent, o.tracestate, e.body
          from outbox o join events e on e.id = o.event_id
         where o.id in (${sql.join(ids)})
         order by o.id`.execute(trx);
      const rows = found;
      this.#cut = ids.length < claimed.rows.length;
      const messages = rows.rows.map((r) =>
        dispatchMessageOf(r.body, {
          traceparent: r.traceparent ?? undefined,
          tracestate: r.tracestate ?? undefined,
        }),
      );
      if (isTransactionalPublisher(this.#transport))
        await this.#transport.publishInTransaction(trx, messages);
      else await this.#transport.publish(messages);
      await sql`update outbox set published_at = now() where id in (${sql.join(rows.rows.map((r) => r.id))})`.execute(
        trx,
      );
      this.#onPublished?.(rows.rows.length, rows.rows[0]?.created_at);
      return rows.rows.length;
    });
  }

  /** Publishes until the outbox is empty, then watches it. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops after the round in progress. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  /** Cuts the idle pause short: new rows were just committed. */
  nudge(): void {
    this.#wake?.();
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (this.#running) {
      let published = 0;
      try {
        published = await this.runOnce();
        failures = 0;
      } catch (error) {
        failures++;
        this.#onError(error);
        await this.#pause(Math.min(5000, 100 * 2 ** Math.min(failures, 6)));
        continue;
      }
      if (published < this.#batchSize && !this.#cut) await this.#pause(this.#pollMs);
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
}
