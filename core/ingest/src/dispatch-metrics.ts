import type { BreakerState, DeliveryObserver, DeliveryOutcome } from '@poshub/dispatch';
import type { Database, DeliveryStatus } from '@poshub/store';
import { type Kysely, sql } from 'kysely';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Options of the dispatch metrics. */
export interface DispatchMetricsOptions {
  /** How long a scrape waits for the database before it shows the last values read. Default 2 s. */
  readTimeoutMs?: number;
}

/** Prometheus metrics of dispatch: what the delivery runtime reports, and the backlog read at scrape time. */
export interface DispatchMetrics {
  /** Hand this to the Dispatcher as `observer`. None of its methods throws. */
  observer: Required<DeliveryObserver>;
  /** Counts an error the Dispatcher reports through `onError` (outbox relay, reconciler); never throws. */
  onError(error: unknown, context: string): void;
}

// Checked against the union, so a new outcome or breaker state does not go unnoticed here.
const OUTCOMES = Object.keys({
  applied: true,
  retry: true,
  dead: true,
  duplicate: true,
  skipped: true,
  parked: true,
  busy: true,
  breaker_open: true,
} satisfies Record<DeliveryOutcome, true>);

const BREAKER_LEVEL: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

// Applied and skipped rows pile up for ever: counting them would make every scrape read the whole ledger.
const COUNTED_STATUSES = [
  'pending',
  'waiting',
  'released',
  'retrying',
  'dead',
] as const satisfies readonly DeliveryStatus[];

// Written as literals, exactly as the partial index deliveries_open is, so the planner can use it.
const FINAL = sql.join([sql.lit('applied'), sql.lit('dead'), sql.lit('skipped')]);

/**
 * Creates the dispatch metrics on `registry`: counters, histograms and gauges fed by the delivery runtime's
 * observer, and gauges of the outbox and the delivery ledger read from the database when scraped (a failed
 * or slow read keeps the last values, so the rest of the scrape still answers).
 */
export function createDispatchMetrics(
  registry: Registry,
  db: Kysely<Database>,
  connectorIds: readonly string[],
  options: DispatchMetricsOptions = {},
): DispatchMetrics {
  const registers = [registry];
  const deliveries = new Counter({
    name: 'poshub_dispatch_deliveries_total',
    help: 'Deliveries taken from a lane, by how they ended: applied, retry (a failed attempt to be tried again), dead, duplicate, skipped, parked, busy, breaker_open',
    labelNames: ['connector', 'outcome'],
    registers,
  });
  const latency = new Histogram({
    name: 'poshub_dispatch_delivery_latency_seconds',
    help: 'Seconds from the hub receiving an event (its ingest transaction, database clock) to the connector applying it and the ledger recording it (process clock), retries, backoff and parking included',
    labelNames: ['connector'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14_400, 86_400],
    registers,
  });
  const attemptDuration = new Histogram({
    name: 'poshub_dispatch_attempt_duration_seconds',
    help: 'Seconds one call of a connector took (applied, retried or dead-lettered attempts)',
    labelNames: ['connector'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const inFlight = new Gauge({
    name: 'poshub_dispatch_in_flight',
    help: 'Calls of a connector in progress in this process',
    labelNames: ['connector'],
    registers,
  });
  const breaker = new Gauge({
    name: 'poshub_dispatch_breaker_state',
    help: "A connector's circuit breaker in this process, as of its last attempt: 0 closed, 1 half-open, 2 open",
    labelNames: ['connector'],
    registers,
  });
  const errors = new Counter({
    name: 'poshub_dispatch_errors_total',
    help: 'Errors dispatch reported outside deliveries (publishing released events, outbox relay, reconciler), by connector ("" when none) and context',
    labelNames: ['connector', 'context'],
    registers,
  });

  const ids = [...new Set(connectorIds)];
  const reader = scrapeReader(options.readTimeoutMs ?? 2000, async () => {
    await Promise.all([
      attempt('outbox', readOutbox),
      attempt('deliveries', readStatuses),
      attempt('oldest_open', readOldestOpen),
    ]);
  });
  const collect = () => reader();

  const readErrors = new Counter({
    name: 'poshub_dispatch_metrics_read_errors_total',
    help: 'Failed database reads of the dispatch gauges (they keep their last values), by query',
    labelNames: ['query'],
    registers,
    // Waits for the scrape's read too, so a failure shows in the scrape it happened in.
    collect,
  });

  const outboxUnpublished = new Gauge({
    name: 'poshub_dispatch_outbox_unpublished',
    help: 'Outbox rows committed but not yet published to the transport',
    registers,
    collect,
  });
  const outboxAge = new Gauge({
    name: 'poshub_dispatch_outbox_oldest_unpublished_age_seconds',
    help: 'Age of the oldest unpublished outbox row (database clock); 0 when there is none',
    registers,
    collect,
  });
  const byStatus = new Gauge({
    name: 'poshub_dispatch_deliveries',
    help: 'Ledger rows by connector and status: pending, waiting, released, retrying and dead (the DLQ); applied and skipped are not counted (see poshub_dispatch_deliveries_total)',
    labelNames: ['connector', 'status'],
    registers,
    collect,
  });
  const oldestOpen = new Gauge({
    name: 'poshub_dispatch_oldest_open_delivery_age_seconds',
    help: "Seconds since a connector's lane first saw its oldest delivery still open (pending, waiting, released or retrying; a replay keeps the first sighting); 0 when there is none",
    labelNames: ['connector'],
    registers,
    collect,
  });

  for (const connector of ids) {
    for (const outcome of OUTCOMES) deliveries.inc({ connector, outcome }, 0);
    latency.zero({ connector });
    attemptDuration.zero({ connector });
    inFlight.set({ connector }, 0);
    breaker.set({ connector }, BREAKER_LEVEL.closed);
    for (const status of COUNTED_STATUSES) byStatus.set({ connector, status }, 0);
    oldestOpen.set({ connector }, 0);
  }
  outboxUnpublished.set(0);
  outboxAge.set(0);

  async function attempt(query: string, read: () => Promise<void>): Promise<void> {
    try {
      await read();
    } catch {
      readErrors.inc({ query });
    }
  }

  async function readOutbox(): Promise<void> {
    const { rows } = await sql<{ n: string | number; age: string | number }>`
      select count(*) as n,
             greatest(0, coalesce(extract(epoch from now() - min(created_at)), 0))::float8 as age
        from outbox where published_at is null`.execute(db);
    const row = rows[0];
    outboxUnpublished.set(Number(row?.n ?? 0));
    outboxAge.set(Number(row?.age ?? 0));
  }

  async function readStatuses(): Promise<void> {
    if (ids.length === 0) return;
    const { rows } = await sql<{ connector_id: string; status: string; n: string | number }>`
      select connector_id, status, count(*) as n from deliveries
       where connector_id in (${sql.join(ids)})
         and status in (${sql.join(COUNTED_STATUSES.map((s) => sql.lit(s)))})
       group by connector_id, status`.execute(db);
    const counts = new Map(rows.map((r) => [`${r.connector_id}\u0000${r.status}`, Number(r.n)]));
    for (const connector of ids) {
      for (const status of COUNTED_STATUSES) {
        byStatus.set({ connector, status }, counts.get(`${connector}\u0000${status}`) ?? 0);
      }
    }
  }

  async function readOldestOpen(): Promise<void> {
    if (ids.length === 0) return;
    const { rows } = await sql<{ connector_id: string; age: string | number }>`
      select connector_id, greatest(0, extract(epoch from now() - min(first_seen_at)))::float8 as age
        from deliveries
       where connector_id in (${sql.join(ids)}) and status not in (${FINAL})
       group by connector_id`.execute(db);
    const ages = new Map(rows.map((r) => [r.connector_id, Number(r.age)]));
    for (const connector of ids) oldestOpen.set({ connector }, ages.get(connector) ?? 0);
  }

  return {
    observer: {
      delivered: safely((connectorId, outcome, info) => {
        const connector = String(connectorId);
        deliveries.inc({ connector, outcome: String(outcome) });
        if (outcome === 'applied' && isFiniteNumber(info?.latencyMs)) {
          // Two clocks meet here (database and process): a small skew must not give a negative latency.
          latency.observe({ connector }, Math.max(0, info.latencyMs) / 1000);
        }
        if (isFiniteNumber(info?.attemptMs)) {
          attemptDuration.observe({ connector }, Math.max(0, info.attemptMs) / 1000);
        }
      }),
      inFlight: safely((connectorId, delta) => {
        if (delta === 1 || delta === -1) inFlight.inc({ connector: String(connectorId) }, delta);
      }),
      breaker: safely((connectorId, state) => {
        const level = Object.hasOwn(BREAKER_LEVEL, state) ? BREAKER_LEVEL[state] : undefined;
        if (level !== undefined) breaker.set({ connector: String(connectorId) }, level);
      }),
      error: safely((connectorId, _error, context) => {
        errors.inc({ connector: String(connectorId), context: String(context) });
      }),
    },
    onError: safely((_error: unknown, context: string) => {
      errors.inc({ connector: '', context: String(context) });
    }),
  };
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Wraps an observer method: a metric must never break a delivery. */
function safely<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      fn(...args);
    } catch {
      // Nothing to do: losing one sample beats failing the caller.
    }
  };
}

/**
 * One database read shared by every gauge of a scrape (prom-client collects them all at once), never more
 * than one at a time; a scrape waits for it at most `timeoutMs`, then shows the values it has.
 */
function scrapeReader(timeoutMs: number, read: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= read()
      .catch(() => {})
      .finally(() => {
        running = undefined;
      });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    return Promise.race([running, timeout]).finally(() => clearTimeout(timer));
  };
}
