import type { Database } from '@poshub/store';
import type { Transport } from '@poshub/transports';
import type { Kysely } from 'kysely';
import { type DeliveryObserver, DeliveryRuntime } from './delivery-runtime.ts';
import type { DeliveryTarget } from './delivery-target.ts';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.ts';
import { type ReconcileReport, Reconciler, type ReconcilerOptions } from './reconciler.ts';

/** Everything dispatch needs in one process. */
export interface DispatcherOptions {
  db: Kysely<Database>;
  transport: Transport;
  targets: readonly DeliveryTarget[];
  relay?: OutboxRelayOptions;
  reconciler?: ReconcilerOptions & { everyMs?: number };
  regionOf?: (storeId: string) => string | undefined;
  observer?: DeliveryObserver;
  onReconciled?: (reports: ReconcileReport[]) => void;
  onError?: (error: unknown, context: string) => void;
}

/** The relay, the delivery runtime and the reconciler, started and stopped together. */
export class Dispatcher {
  readonly relay: OutboxRelay;
  readonly runtime: DeliveryRuntime;
  readonly reconciler: Reconciler;
  readonly #everyMs: number;
  readonly #onReconciled: ((reports: ReconcileReport[]) => void) | undefined;
  readonly #onError: (error: unknown, context: string) => void;
  #timer: NodeJS.Timeout | undefined;
  #reconciling: Promise<void> | undefined;
  #consuming: Promise<void> | undefined;
  #stopRetry = new AbortController();

  constructor(options: DispatcherOptions) {
    this.#onError = options.onError ?? (() => {});
    this.relay = new OutboxRelay(options.db, options.transport, {
      onError: (e) => this.#onError(e, 'outbox relay'),
      ...options.relay,
    });
    this.runtime = new DeliveryRuntime({
      db: options.db,
      transport: options.transport,
      targets: options.targets,
      ...(options.regionOf ? { regionOf: options.regionOf } : {}),
      observer: {
        error: (id, e, ctx) => this.#onError(e, `${id}: ${ctx}`),
        ...options.observer,
      },
    });
    this.reconciler = new Reconciler(options.db, options.transport, options.targets, options.reconciler);
    this.#everyMs = options.reconciler?.everyMs ?? 60_000;
    this.#onReconciled = options.onReconciled;
  }

  /**
   * Declares the lanes, starts their consumers, then the relay and the reconciler. With `consumers:
   * 'background'` it returns once the lanes are declared, and the consumers start behind it, retried with
   * backoff until they run (failures go to onError): a hub restarted after a crash takes events at once
   * while its Kafka consumer groups rebalance; the events wait in the lanes meanwhile.
   */
  async start(options: { consumers?: 'wait' | 'background' } = {}): Promise<void> {
    if (options.consumers === 'background') {
      await this.runtime.prepare();
      this.#stopRetry = new AbortController();
      this.#consuming = this.#consumeUntilRunning(this.#stopRetry.signal);
    } else {
      await this.runtime.start();
    }
    this.relay.start();
    this.#timer = setInterval(() => {
      if (this.#reconciling) return;
      this.#reconciling = this.reconciler
        .runOnce()
        .then((r) => this.#onReconciled?.(r))
        .catch((e) => this.#onError(e, 'reconciler'))
        .finally(() => {
          this.#reconciling = undefined;
        });
    }, this.#everyMs);
    this.#timer.unref();
  }

  /** True once every lane is consuming. */
  get consuming(): boolean {
    return this.runtime.consuming;
  }

  async #consumeUntilRunning(signal: AbortSignal): Promise<void> {
    for (let failures = 0; !signal.aborted; failures++) {
      try {
        await this.runtime.consumeAll();
        return;
      } catch (error) {
        const waitMs = Math.min(30_000, 1000 * 2 ** Math.min(failures, 5));
        this.#onError(error, `starting lane consumers (trying again in ${waitMs / 1000} s)`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          signal.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              resolve();
            },
            { once: true },
          );
        });
      }
    }
  }

  /** Stops the relay, the reconciler and the lanes. */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stopRetry.abort();
    clearInterval(this.#timer);
    await this.relay.stop();
    await this.#reconciling;
    await this.runtime.stop(graceMs);
    await this.#consuming;
  }
}
