import type { CanonicalEvent } from '@poshub/model';
import { type Database, GroupCommit } from '@poshub/store';
import {
  canonicalEventOf,
  type Delivery,
  type DispatchMessage,
  type Disposition,
  type LaneConsumer,
  type Transport,
} from '@poshub/transports';
import type { Kysely } from 'kysely';
import { type AdmitRequest, admitDeliveries } from './admit-deliveries.ts';
import { originalKeysOf } from './causal-dependency.ts';
import { CircuitBreaker, DEFAULT_BREAKER_POLICY } from './circuit-breaker.ts';
import type { Admission, AttemptRecord, Resolution } from './delivery-ledger.ts';
import type { DeliveryError, DeliveryTarget, HandleContext, HandleResult } from './delivery-target.ts';
import { messagesForEvents } from './event-messages.ts';
import { idempotencyKeyFor } from './idempotency-key.ts';
import { type ResolveRequest, resolveDeliveries } from './resolve-deliveries.ts';
import { backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.ts';

/** What the runtime reports as it works (metrics and logs hang off this). */
export interface DeliveryObserver {
  delivered?(
    connectorId: string,
    outcome: DeliveryOutcome,
    info: { latencyMs?: number; attemptMs?: number },
  ): void;
  inFlight?(connectorId: string, delta: 1 | -1): void;
  breaker?(connectorId: string, state: CircuitBreaker['state']): void;
  error?(connectorId: string, error: unknown, context: string): void;
}

/** How one delivery ended, for metrics. */
export type DeliveryOutcome =
  | 'applied'
  | 'retry'
  | 'dead'
  | 'duplicate'
  | 'skipped'
  | 'parked'
  | 'busy'
  | 'breaker_open';

/** Options of the runtime. */
export interface DeliveryRuntimeOptions {
  db: Kysely<Database>;
  transport: Transport;
  targets: readonly DeliveryTarget[];
  /** The region of a store, for subscription filters on regions. */
  regionOf?: (storeId: string) => string | undefined;
  observer?: DeliveryObserver;
  random?: () => number;
}

interface Lane {
  target: DeliveryTarget;
  retry: RetryPolicy;
  breaker: CircuitBreaker;
  timeoutMs: number;
  consumer?: LaneConsumer;
  /** Admissions of deliveries that arrive together share one ledger transaction. */
  admit: GroupCommit<AdmitRequest, Settled<Admission>>;
  /** So do their outcomes. */
  resolve: GroupCommit<ResolveRequest, Settled<string[]>>;
}

/** A batch member's result: one failing member does not fail the others. */
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Ledger transactions per lane at once, and deliveries per transaction. */
const LEDGER_CONCURRENCY = 2;
const LEDGER_MAX_BATCH = 64;

/**
 * Runs one lane per connector: takes deliveries from the transport, asks the delivery ledger whether and
 * when to apply each, calls the connector with a timeout, and turns the result into ack, retry (backoff
 * with full jitter) or dead-letter. A connector's outage stays in its lane: other lanes, the relay and the
 * ingest API do not wait for it.
 */
export class DeliveryRuntime {
  readonly #db: Kysely<Database>;
  readonly #transport: Transport;
  readonly #lanes = new Map<string, Lane>();
  readonly #regionOf: (storeId: string) => string | undefined;
  readonly #observer: DeliveryObserver;
  readonly #random: () => number;
  #stopping = new AbortController();
  #running = false;

  constructor(options: DeliveryRuntimeOptions) {
    this.#db = options.db;
    this.#transport = options.transport;
    this.#regionOf = options.regionOf ?? (() => undefined);
    this.#observer = options.observer ?? {};
    this.#random = options.random ?? Math.random;
    for (const target of options.targets) {
      if (this.#lanes.has(target.id)) throw new Error(`connector id ${target.id} is used twice`);
      const timeoutMs = target.timeoutMs ?? 30_000;
      const ordered = target.orderedPerStore ?? false;
      const rules = {
        connectorId: target.id,
        types: target.types,
        orderedPerStore: ordered,
        staleAfterMs: timeoutMs + 30_000,
        causalWaitMs: target.causalWaitMs ?? 5 * 60_000,
      };
      const batching = { maxBatch: LEDGER_MAX_BATCH, concurrency: LEDGER_CONCURRENCY };
      this.#lanes.set(target.id, {
        target,
        retry: { ...DEFAULT_RETRY_POLICY, ...target.retry },
        breaker: new CircuitBreaker({ ...DEFAULT_BREAKER_POLICY, ...target.breaker }),
        timeoutMs,
        admit: new GroupCommit(
          (requests) => settleEach(requests, (batch) => admitDeliveries(this.#db, rules, batch)),
          batching,
        ),
        resolve: new GroupCommit(
          (requests) =>
            settleEach(requests, (batch) => resolveDeliveries(this.#db, target.id, ordered, batch)),
          batching,
        ),
      });
    }
  }

  /** The connectors this runtime runs. */
  get targets(): DeliveryTarget[] {
    return [...this.#lanes.values()].map((l) => l.target);
  }

  /** Registers the connectors (their start watermark), declares their lanes and starts consuming. */
  async start(): Promise<void> {
    await this.prepare();
    await this.consumeAll();
  }

  /** True once every lane is consuming. */
  get consuming(): boolean {
    return [...this.#lanes.values()].every((l) => l.consumer !== undefined);
  }

  /**
   * Registers the connectors (their start watermark) and declares their lanes on the transport: what must
   * work before the hub takes events (a broker that refuses it fails the start). Messages published after
   * it wait in the lanes for their consumers.
   */
  async prepare(): Promise<void> {
    // A runtime started again after stop() gets a fresh signal: the old one stays aborted.
    if (this.#stopping.signal.aborted) this.#stopping = new AbortController();
    this.#running = true;
    const ids = [...this.#lanes.keys()];
    if (ids.length > 0) {
      await this.#db
        .insertInto('connectors')
        .values(ids.map((id) => ({ id })))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
    await this.#transport.setup({ lanes: this.targets.map((t) => ({ id: t.id, types: t.types })) });
  }

  /**
   * Starts consuming every lane that is not consuming yet (a consumer group join can take a while after
   * a crash). Throws the first failure; lanes already started keep running, and a later call starts the
   * rest.
   */
  async consumeAll(): Promise<void> {
    for (const lane of this.#lanes.values()) {
      if (lane.consumer || !this.#running) continue;
      const consumer = await this.#transport.consume(lane.target.id, (d) => this.#deliver(lane, d), {
        maxInFlight: lane.target.maxInFlight ?? 16,
        // The ledger keeps an ordered connector's store order; others need no order from the transport.
        perStoreOrder: lane.target.orderedPerStore ?? false,
      });
      if (!this.#running) {
        // stop() came while this lane was joining.
        await consumer.stop(0);
        return;
      }
      lane.consumer = consumer;
    }
  }

  /** Stops every lane; attempts in progress are aborted after `graceMs` and delivered again later. */
  async stop(graceMs = 10_000): Promise<void> {
    this.#running = false;
    const stopping = [...this.#lanes.values()].map((l) => {
      const consumer = l.consumer;
      l.consumer = undefined;
      return consumer?.stop(graceMs);
    });
    const controller = this.#stopping;
    setTimeout(() => controller.abort(), graceMs).unref();
    await Promise.all(stopping);
    controller.abort();
  }

  async #deliver(lane: Lane, delivery: Delivery): Promise<Disposition> {
    const { target } = lane;
    const message = delivery.message;
    let event: CanonicalEvent;
    try {
      event = canonicalEventOf(message);
    } catch (error) {
      return { kind: 'dead', reason: `unreadable message: ${(error as Error).message}` };
    }
    const admission = unwrap(
      await lane.admit.submit({
        message,
        wanted: this.#wanted(target, event),
        originalKeys: originalKeysOf(event),
      }),
    );
    switch (admission.kind) {
      case 'duplicate':
        this.#observer.delivered?.(target.id, admission.status === 'skipped' ? 'skipped' : 'duplicate', {});
        return { kind: 'ack' };
      case 'unknown':
        return { kind: 'dead', reason: `event ${message.id} is not in poshub's store` };
      case 'parked':
        this.#observer.delivered?.(target.id, 'parked', {});
        if (admission.release) await this.#publishReleased(lane, admission.release);
        return { kind: 'ack' };
      case 'busy':
        this.#observer.delivered?.(target.id, 'busy', {});
        return { kind: 'retry', delayMs: 1000 + Math.floor(this.#random() * 1000) };
    }

    const wait = lane.breaker.acquire();
    if (wait > 0) {
      // Not an attempt: the event waits for the target to come back, and is never dead-lettered for it.
      await this.#resolve(
        lane,
        message,
        { status: 'retrying', nextAttemptAt: new Date(Date.now() + wait) },
        undefined,
      );
      this.#observer.delivered?.(target.id, 'breaker_open', {});
      return { kind: 'retry', delayMs: wait + Math.floor(this.#random() * 1000) };
    }

    const startedAt = new Date();
    this.#observer.inFlight?.(target.id, 1);
    let result: HandleResult;
    try {
      result = await this.#attempt(lane, event, admission.attempt, message);
    } finally {
      this.#observer.inFlight?.(target.id, -1);
    }
    const durationMs = Date.now() - startedAt.getTime();
    const base = { attempt: admission.attempt, startedAt, durationMs };

    if (result.ok) {
      lane.breaker.success();
      this.#observer.breaker?.(target.id, lane.breaker.state);
      await this.#resolve(lane, message, { status: 'applied' }, { ...base, outcome: 'applied' });
      this.#observer.delivered?.(target.id, 'applied', {
        latencyMs: Date.now() - admission.receivedAt.getTime(),
        attemptMs: durationMs,
      });
      return { kind: 'ack' };
    }

    const error = result.error;
    const retryable = error.retryable && !error.abort && !lane.retry.nonRetryable.includes(error.type);
    if (error.retryable) lane.breaker.failure();
    else lane.breaker.success();
    this.#observer.breaker?.(target.id, lane.breaker.state);
    const attemptRecord: AttemptRecord = {
      ...base,
      outcome: retryable ? 'retryable' : 'permanent',
      errorType: error.type,
      errorMessage: error.message,
    };
    const age = Date.now() - admission.receivedAt.getTime();
    const why = !retryable
      ? error.abort
        ? 'the receiver asked to stop'
        : 'permanent error'
      : admission.attempt >= lane.retry.maxAttempts
        ? `gave up after ${admission.attempt} attempts`
        : age >= lane.retry.maxAgeMs
          ? `gave up: event older than ${lane.retry.maxAgeMs} ms`
          : undefined;
    if (why) {
      await this.#resolve(
        lane,
        message,
        { status: 'dead', errorType: error.type, errorMessage: error.message },
        attemptRecord,
      );
      this.#observer.delivered?.(target.id, 'dead', { attemptMs: durationMs });
      return { kind: 'dead', reason: `${why}: ${error.type}: ${error.message}` };
    }
    const delayMs = Math.max(
      error.retryAfterMs ?? 0,
      backoffDelay(lane.retry, admission.attempt, this.#random),
    );
    await this.#resolve(
      lane,
      message,
      { status: 'retrying', nextAttemptAt: new Date(Date.now() + delayMs) },
      attemptRecord,
    );
    this.#observer.delivered?.(target.id, 'retry', { attemptMs: durationMs });
    return { kind: 'retry', delayMs };
  }

  /** One call of the connector, bounded by its timeout and by the runtime stopping. */
  async #attempt(
    lane: Lane,
    event: CanonicalEvent,
    attempt: number,
    message: DispatchMessage,
  ): Promise<HandleResult> {
    const signal = AbortSignal.any([AbortSignal.timeout(lane.timeoutMs), this.#stopping.signal]);
    const aborted = new Promise<HandleResult>((resolve) => {
      const onAbort = () =>
        resolve({
          ok: false,
          error: {
            retryable: true,
            type: this.#stopping.signal.aborted ? 'shutdown' : 'timeout',
            message: this.#stopping.signal.aborted
              ? 'poshub stopped during the attempt'
              : `no answer within ${lane.timeoutMs} ms`,
          },
        });
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    const ctx: HandleContext = {
      idempotencyKey: idempotencyKeyFor(lane.target.id, event.id),
      attempt,
      signal,
      ...(message.traceparent
        ? {
            trace: {
              traceparent: message.traceparent,
              ...(message.tracestate ? { tracestate: message.tracestate } : {}),
            },
          }
        : {}),
    };
    try {
      return await Promise.race([lane.target.handle(event, ctx).then(checkResult), aborted]);
    } catch (error) {
      // A connector should return errors, not throw them; a throw is a bug, and bugs get fixed and replayed.
      return {
        ok: false,
        error: {
          retryable: false,
          type: 'connector_threw',
          message: (error as Error)?.message ?? String(error),
        },
      };
    }
  }

  async #resolve(
    lane: Lane,
    message: DispatchMessage,
    resolution: Resolution,
    attempt: AttemptRecord | undefined,
  ): Promise<void> {
    const released = unwrap(
      await lane.resolve.submit({ message, resolution, ...(attempt ? { attempt } : {}) }),
    );
    await this.#publishReleased(lane, released);
  }

  /** Publishes events the ledger released to the lane; the reconciler covers a failed publish. */
  async #publishReleased(lane: Lane, released: string[]): Promise<void> {
    if (released.length === 0) return;
    try {
      await this.#transport.publishTo(
        lane.target.id,
        await messagesForEvents(this.#db, lane.target.id, released),
      );
    } catch (error) {
      // The rows say "released"; the reconciler republishes released rows that do not arrive.
      this.#observer.error?.(lane.target.id, error, 'publishing released events');
    }
  }

  #wanted(target: DeliveryTarget, event: CanonicalEvent): boolean {
    const f = target.filter;
    if (!target.types.includes(event.type)) return false;
    if (!f) return true;
    // "*" is chain-wide (a catalog or price-list import): every store's connector wants it.
    if (f.stores && event.subject !== '*' && !f.stores.includes(event.subject)) return false;
    if (f.regions && event.subject !== '*') {
      const region = this.#regionOf(event.subject);
      if (!region || !f.regions.includes(region)) return false;
    }
    if (f.channels) {
      const channel = (event.data as { channel?: string }).channel;
      if (!channel || !f.channels.includes(channel)) return false;
    }
    return true;
  }
}

/**
 * Runs a batch; when the batch as a whole fails (a deadlock with another process, a lost connection), runs
 * its members one by one so that one member's failure stays its own. A failed member's delivery throws and
 * the transport delivers it again.
 */
async function settleEach<I, O>(items: I[], run: (batch: I[]) => Promise<O[]>): Promise<Settled<O>[]> {
  try {
    return (await run(items)).map((value) => ({ ok: true, value }));
  } catch (error) {
    if (items.length === 1) return [{ ok: false, error }];
  }
  return Promise.all(
    items.map(async (item): Promise<Settled<O>> => {
      try {
        const [value] = await run([item]);
        return { ok: true, value: value as O };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );
}

function unwrap<T>(settled: Settled<T>): T {
  if (settled.ok) return settled.value;
  throw settled.error;
}

function checkResult(result: HandleResult): HandleResult {
  if (result && (result.ok === true || (result.ok === false && isDeliveryError(result.error)))) return result;
  return {
    ok: false,
    error: {
      retryable: false,
      type: 'connector_bad_result',
      message: 'the connector returned neither ok nor an error',
    },
  };
}

function isDeliveryError(e: unknown): e is DeliveryError {
  const x = e as DeliveryError;
  return (
    !!x && typeof x.retryable === 'boolean' && typeof x.type === 'string' && typeof x.message === 'string'
  );
}
