import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DeliveryTarget, Dispatcher } from '@poshub/dispatch';
import type { CanonicalEvent } from '@poshub/model';
import { openDatabase, type Store } from '@poshub/store';
import { EmbeddedTransport } from '@poshub/transports';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitEvents } from './commit-events.ts';
import { createDispatchMetrics } from './dispatch-metrics.ts';

const SALE = join(
  import.meta.dirname,
  '..',
  '..',
  'normalizers',
  'fixtures',
  'canonical',
  'sale-two-lines.json',
);

/** The value of one sample in exposition text, matched on its full label set. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
    );
    const wanted = Object.entries(labels);
    if (Object.keys(found).length === wanted.length && wanted.every(([k, v]) => found[k] === v)) {
      return Number(m[3]);
    }
  }
  return undefined;
}

async function eventually(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Commits a sale the way the ingest API does; each `key` is another till sequence, so another event. */
async function commitSale(store: Store, key: string): Promise<void> {
  const event = JSON.parse(await readFile(SALE, 'utf8')) as CanonicalEvent & {
    data: { key: { sequence: string } };
  };
  event.id = `${event.id}-${key}`;
  event.data.key.sequence = `${event.data.key.sequence}${key.replace(/\D/g, '')}`;
  const [outcome] = await commitEvents(store.db, [
    { principal: 'till-1', idempotencyKey: key, requestHash: key, event },
  ]);
  expect(outcome?.kind).toBe('created');
}

describe('dispatch metrics over a real dispatcher (PGlite, embedded queue)', () => {
  let dir: string;
  let store: Store;
  let transport: EmbeddedTransport;
  let dispatcher: Dispatcher;
  const registry = new Registry();
  const types = ['sale.completed.v1'];
  const targets: DeliveryTarget[] = [
    { id: 'good', types, handle: async () => ({ ok: true }) },
    {
      id: 'bad',
      types,
      handle: async () => ({
        ok: false,
        error: { retryable: false, type: 'http_400', message: 'unknown store' },
      }),
    },
    {
      // Fails once, retryably, and asks for an hour: its delivery stays open for the whole test.
      id: 'flaky',
      types,
      handle: async () => ({
        ok: false,
        error: { retryable: true, type: 'http_503', message: 'down', retryAfterMs: 3_600_000 },
      }),
    },
  ];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poshub-dispatch-metrics-'));
    store = await openDatabase({ kind: 'pglite', dataDir: dir });
    transport = new EmbeddedTransport(store.db, { leaseMs: 2000, pollMs: 10 });
  }, 120_000);

  afterAll(async () => {
    await dispatcher?.stop(500);
    await transport?.close();
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows outbox lag, then what the runtime did and what the ledger holds once dispatch settles', async () => {
    const metrics = createDispatchMetrics(
      registry,
      store.db,
      targets.map((t) => t.id),
    );
    dispatcher = new Dispatcher({
      db: store.db,
      transport,
      targets,
      relay: { pollMs: 10 },
      reconciler: { everyMs: 3_600_000 },
      observer: metrics.observer,
      onError: metrics.onError,
    });

    // Committed before dispatch runs: the outbox holds it.
    await commitSale(store, 'k1');
    const before = await registry.metrics();
    expect(sample(before, 'poshub_dispatch_outbox_unpublished')).toBe(1);
    expect(sample(before, 'poshub_dispatch_outbox_oldest_unpublished_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(before, 'poshub_dispatch_in_flight', { connector: 'good' })).toBe(0);

    await dispatcher.start();
    let text = '';
    await eventually(async () => {
      text = await registry.metrics();
      return (
        sample(text, 'poshub_dispatch_deliveries_total', { connector: 'good', outcome: 'applied' }) === 1 &&
        sample(text, 'poshub_dispatch_deliveries_total', { connector: 'bad', outcome: 'dead' }) === 1 &&
        sample(text, 'poshub_dispatch_deliveries_total', { connector: 'flaky', outcome: 'retry' }) === 1
      );
    });
    // Read once more: the ledger rows were written before the runtime told the observer.
    text = await registry.metrics();

    expect(sample(text, 'poshub_dispatch_deliveries_total', { connector: 'good', outcome: 'dead' })).toBe(0);
    expect(sample(text, 'poshub_dispatch_deliveries', { connector: 'bad', status: 'dead' })).toBe(1);
    expect(sample(text, 'poshub_dispatch_deliveries', { connector: 'good', status: 'dead' })).toBe(0);
    expect(sample(text, 'poshub_dispatch_deliveries', { connector: 'flaky', status: 'retrying' })).toBe(1);
    expect(
      sample(text, 'poshub_dispatch_deliveries', { connector: 'good', status: 'applied' }),
    ).toBeUndefined();

    expect(
      sample(text, 'poshub_dispatch_oldest_open_delivery_age_seconds', { connector: 'flaky' }),
    ).toBeGreaterThan(0);
    expect(sample(text, 'poshub_dispatch_oldest_open_delivery_age_seconds', { connector: 'good' })).toBe(0);
    expect(sample(text, 'poshub_dispatch_oldest_open_delivery_age_seconds', { connector: 'bad' })).toBe(0);

    for (const connector of ['good', 'bad', 'flaky']) {
      expect(sample(text, 'poshub_dispatch_in_flight', { connector })).toBe(0);
      // A permanent error is an answer (the target is up) and one retryable failure is below the threshold.
      expect(sample(text, 'poshub_dispatch_breaker_state', { connector })).toBe(0);
      expect(sample(text, 'poshub_dispatch_attempt_duration_seconds_count', { connector })).toBe(1);
    }
    expect(sample(text, 'poshub_dispatch_delivery_latency_seconds_count', { connector: 'good' })).toBe(1);
    expect(sample(text, 'poshub_dispatch_delivery_latency_seconds_count', { connector: 'bad' })).toBe(0);
    expect(
      sample(text, 'poshub_dispatch_delivery_latency_seconds_sum', { connector: 'good' }),
    ).toBeGreaterThanOrEqual(0);

    expect(sample(text, 'poshub_dispatch_outbox_unpublished')).toBe(0);
    expect(sample(text, 'poshub_dispatch_outbox_oldest_unpublished_age_seconds')).toBe(0);
    expect(text).not.toMatch(/^poshub_dispatch_metrics_read_errors_total\{/m);
  }, 60_000);
});

describe('dispatch metrics when the database is slow or gone (PGlite)', () => {
  let dir: string;
  let store: Store;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poshub-dispatch-metrics-down-'));
    store = await openDatabase({ kind: 'pglite', dataDir: dir });
  }, 120_000);

  afterAll(async () => {
    await store?.close().catch(() => {});
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers with the last values read, and counts the failed reads', async () => {
    const registry = new Registry();
    createDispatchMetrics(registry, store.db, ['erp'], { readTimeoutMs: 300 });
    await commitSale(store, 'k1');
    expect(sample(await registry.metrics(), 'poshub_dispatch_outbox_unpublished')).toBe(1);

    // PGlite has one session: a transaction holding it makes the scrape's reads wait behind it.
    const gate = Promise.withResolvers<void>();
    const started = Promise.withResolvers<void>();
    const holding = store.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      started.resolve();
      await gate.promise;
    });
    await started.promise;
    const later = commitSale(store, 'k2');
    const slow = await registry.metrics();
    expect(sample(slow, 'poshub_dispatch_outbox_unpublished')).toBe(1);
    gate.resolve();
    await holding;
    await later;
    await eventually(
      async () => sample(await registry.metrics(), 'poshub_dispatch_outbox_unpublished') === 2,
    );

    await store.close();
    const gone = await registry.metrics();
    expect(sample(gone, 'poshub_dispatch_outbox_unpublished')).toBe(2);
    expect(sample(gone, 'poshub_dispatch_deliveries', { connector: 'erp', status: 'dead' })).toBe(0);
    expect(
      sample(gone, 'poshub_dispatch_metrics_read_errors_total', { query: 'outbox' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(gone, 'poshub_dispatch_metrics_read_errors_total', { query: 'deliveries' }),
    ).toBeGreaterThanOrEqual(1);
  }, 60_000);
});

describe('the dispatch observer', () => {
  it('never throws, whatever the runtime hands it, and counts connectors it was not told about', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'poshub-dispatch-observer-'));
    const store = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      const registry = new Registry();
      const { observer, onError } = createDispatchMetrics(registry, store.db, ['erp']);
      expect(() => {
        observer.delivered('nope', 'applied', { latencyMs: 1500, attemptMs: 20 });
        observer.delivered('nope', 'applied', { latencyMs: Number.NaN, attemptMs: -5 });
        observer.delivered('nope', 'retry', undefined as never);
        observer.delivered(undefined as never, 'weird' as never, null as never);
        observer.inFlight('nope', 1);
        observer.inFlight('nope', 7 as never);
        observer.breaker('nope', 'open');
        observer.breaker('erp', 'melted' as never);
        observer.breaker('erp', 'toString' as never);
        observer.error('nope', new Error('boom'), 'publishing released events');
        onError(undefined, 'outbox relay');
      }).not.toThrow();

      const text = await registry.metrics();
      expect(
        sample(text, 'poshub_dispatch_deliveries_total', { connector: 'nope', outcome: 'applied' }),
      ).toBe(2);
      expect(sample(text, 'poshub_dispatch_deliveries_total', { connector: 'nope', outcome: 'retry' })).toBe(
        1,
      );
      expect(sample(text, 'poshub_dispatch_delivery_latency_seconds_count', { connector: 'nope' })).toBe(1);
      expect(sample(text, 'poshub_dispatch_delivery_latency_seconds_sum', { connector: 'nope' })).toBe(1.5);
      expect(sample(text, 'poshub_dispatch_attempt_duration_seconds_count', { connector: 'nope' })).toBe(2);
      expect(sample(text, 'poshub_dispatch_in_flight', { connector: 'nope' })).toBe(1);
      expect(sample(text, 'poshub_dispatch_breaker_state', { connector: 'nope' })).toBe(2);
      expect(sample(text, 'poshub_dispatch_breaker_state', { connector: 'erp' })).toBe(0);
      expect(
        sample(text, 'poshub_dispatch_errors_total', {
          connector: 'nope',
          context: 'publishing released events',
        }),
      ).toBe(1);
      expect(sample(text, 'poshub_dispatch_errors_total', { connector: '', context: 'outbox relay' })).toBe(
        1,
      );
      // Database gauges cover only the configured connectors.
      expect(
        sample(text, 'poshub_dispatch_deliveries', { connector: 'nope', status: 'dead' }),
      ).toBeUndefined();
      expect(sample(text, 'poshub_dispatch_deliveries', { connector: 'erp', status: 'dead' })).toBe(0);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
