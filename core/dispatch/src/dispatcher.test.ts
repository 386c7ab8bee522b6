import type { DeliveryHandler } from '@poshub/transports';
import { type ConsumeOptions, EmbeddedTransport } from '@poshub/transports';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DispatchHarness,
  eventually,
  recordingTarget,
  startHarness,
  testEvent,
} from './dispatch-test-kit.ts';
import { messagesForEvents } from './event-messages.ts';

const SALE = 'sale.completed.v1';
const RETURN = 'return.completed.v1';
const unavailable = {
  ok: false as const,
  error: { retryable: true, type: 'http_503', message: 'Service Unavailable' },
};

async function ledger(h: DispatchHarness, connector: string) {
  return h.store.db
    .selectFrom('deliveries')
    .selectAll()
    .where('connector_id', '=', connector)
    .orderBy('seq')
    .execute();
}

describe('dispatch over the embedded queue (PGlite)', () => {
  const plain = recordingTarget('plain', [SALE], undefined, { filter: { stores: ['s1', 's2'] } });
  const other = recordingTarget('returns-only', [RETURN]);
  const flaky = recordingTarget('flaky', [SALE], (e, ctx, n) =>
    e.subject === 'flaky-retry' && n <= 2
      ? { ok: false, error: { ...unavailable.error, retryAfterMs: n === 1 ? 300 : 0 } }
      : e.subject === 'flaky-perm'
        ? { ok: false, error: { retryable: false, type: 'invalid_sku', message: 'SKU X-1 unknown' } }
        : e.subject === 'flaky-budget'
          ? unavailable
          : ctx.signal.aborted
            ? unavailable
            : { ok: true },
  );
  let blockA1 = 2;
  const ordered = recordingTarget(
    'ordered',
    [SALE],
    (e) => (e.subject === 'oa' && e.id.includes('-1-') && blockA1-- > 0 ? unavailable : { ok: true }),
    { orderedPerStore: true },
  );
  let failSale = 1;
  const causal = recordingTarget('causal', [SALE, RETURN], (e) =>
    e.type === SALE && e.subject === 'cs' && failSale-- > 0 ? unavailable : { ok: true },
  );
  const slow = recordingTarget(
    'slow',
    [SALE],
    (_e, ctx, n) =>
      n === 1
        ? new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(unavailable)))
        : { ok: true },
    // Only its own store: the first attempt of every other test's sales would time out too, at once (the
    // transport hands an unordered lane a store's events concurrently), and open its breaker.
    { timeoutMs: 200, filter: { stores: ['slow'] } },
  );
  let h: DispatchHarness;

  beforeAll(async () => {
    h = await startHarness([plain, other, flaky, ordered, causal, slow]);
  }, 60_000);
  afterAll(async () => h?.close(), 60_000);

  it('applies each subscribed event once per connector, in order per store, skipping what the filter excludes', async () => {
    const events = [
      testEvent('s1', 1),
      testEvent('s2', 1),
      testEvent('s1', 2),
      testEvent('s9', 1),
      testEvent('s1', 3),
    ];
    await h.commit(events);
    await eventually(async () => (await ledger(h, 'plain')).length === 5);
    await eventually(async () => (await ledger(h, 'plain')).every((r) => r.status !== 'pending'));
    const s1 = events.filter((e) => e.subject === 's1').map((e) => e.id);
    expect(plain.applied.filter((id) => s1.includes(id))).toEqual(s1);
    expect(plain.applied).not.toContain(events[3]!.id);
    const rows = await ledger(h, 'plain');
    expect(rows.find((r) => r.event_id === events[3]!.id)?.status).toBe('skipped');
    expect(rows.filter((r) => r.status === 'applied')).toHaveLength(4);
    expect(other.calls).toEqual([]);
    // The idempotency key is per connector and event, UUID-shaped.
    const key = plain.calls.find((c) => c.eventId === events[0]!.id)!.key;
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(flaky.calls.find((c) => c.eventId === events[0]!.id)!.key).not.toBe(key);
  });

  it('absorbs redelivered duplicates: an applied event is never applied again', async () => {
    const events = [testEvent('s1', 10), testEvent('s2', 10)];
    await h.commit(events);
    await eventually(() => events.every((e) => plain.applied.includes(e.id)));
    const redelivered = await messagesForEvents(
      h.store.db,
      'plain',
      events.map((e) => e.id),
    );
    await h.transport.publishTo('plain', [...redelivered, ...redelivered]);
    await eventually(async () => {
      const left = await sql<{
        n: number;
      }>`select count(*)::int as n from queue_messages where lane = 'plain'`.execute(h.store.db);
      return left.rows[0]!.n === 0;
    });
    for (const e of events) expect(plain.applied.filter((id) => id === e.id)).toHaveLength(1);
  });

  it('retries a retryable failure with backoff and Retry-After, with the same idempotency key, and records each attempt', async () => {
    const e = testEvent('flaky-retry', 1);
    await h.commit([e]);
    await eventually(() => flaky.applied.includes(e.id));
    const calls = flaky.calls.filter((c) => c.eventId === e.id);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(new Set(calls.map((c) => c.key)).size).toBe(1);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(290);
    const row = (await ledger(h, 'flaky')).find((r) => r.event_id === e.id)!;
    expect(row).toMatchObject({ status: 'applied', attempts: 3, last_error_type: 'http_503' });
    const attempts = await h.store.db
      .selectFrom('delivery_attempts')
      .select(['attempt', 'outcome', 'error_type'])
      .where('event_id', '=', e.id)
      .where('connector_id', '=', 'flaky')
      .orderBy('id')
      .execute();
    expect(attempts).toEqual([
      { attempt: 1, outcome: 'retryable', error_type: 'http_503' },
      { attempt: 2, outcome: 'retryable', error_type: 'http_503' },
      { attempt: 3, outcome: 'applied', error_type: null },
    ]);
  });

  it('dead-letters a permanent error at once and a retryable one after the retry budget, in the ledger and the broker DLQ', async () => {
    const perm = testEvent('flaky-perm', 1);
    const budget = testEvent('flaky-budget', 1);
    await h.commit([perm, budget]);
    await eventually(async () => {
      const rows = await ledger(h, 'flaky');
      return [perm.id, budget.id].every((id) => rows.find((r) => r.event_id === id)?.status === 'dead');
    });
    const rows = await ledger(h, 'flaky');
    expect(rows.find((r) => r.event_id === perm.id)).toMatchObject({
      attempts: 1,
      last_error_type: 'invalid_sku',
      last_error_message: 'SKU X-1 unknown',
    });
    expect(rows.find((r) => r.event_id === budget.id)).toMatchObject({
      attempts: 5,
      last_error_type: 'http_503',
    });
    const dead = await h.transport.takeDeadLetters('flaky', { max: 10, waitMs: 2000 });
    expect(dead.map((d) => d.message.id).sort()).toEqual([perm.id, budget.id].sort());
    expect(dead.find((d) => d.message.id === perm.id)!.reason).toBe(
      'permanent error: invalid_sku: SKU X-1 unknown',
    );
    expect(dead.find((d) => d.message.id === budget.id)!.reason).toMatch(
      /^gave up after 5 attempts: http_503/,
    );
  });

  it('keeps one store in order for an ordered connector while its first event retries, without holding other stores', async () => {
    const a = [testEvent('oa', 1), testEvent('oa', 2), testEvent('oa', 3)];
    const b = testEvent('ob', 1);
    await h.commit([...a, b]);
    await eventually(() => a.every((e) => ordered.applied.includes(e.id)) && ordered.applied.includes(b.id));
    expect(ordered.applied.filter((id) => id.startsWith('evt-oa'))).toEqual(a.map((e) => e.id));
    // Store ob went through while oa's first event was still failing.
    const firstOaSuccess = ordered.calls.filter((c) => c.eventId === a[0]!.id)[2]!.at;
    const obCall = ordered.calls.find((c) => c.eventId === b.id)!.at;
    expect(obCall).toBeLessThan(firstOaSuccess);
    // Later events of oa were parked, not attempted, until the first was applied.
    expect(
      ordered.calls
        .filter((c) => c.eventId !== a[0]!.id && c.store === 'oa')
        .every((c) => c.at >= firstOaSuccess),
    ).toBe(true);
  });

  it('holds a return until the sale it refers to has reached the connector (causal order)', async () => {
    const sale = testEvent('cs', 7);
    const ret = testEvent('cs', 8, 'return', [
      {
        kind: 'return',
        key: { storeId: 'cs', workstationId: '01', businessDay: '2026-11-23', sequence: '7' },
        ids: [],
      },
    ]);
    await h.commit([sale, ret]);
    await eventually(() => causal.applied.includes(ret.id));
    expect(causal.applied.indexOf(sale.id)).toBeLessThan(causal.applied.indexOf(ret.id));
    // The return was never attempted before the sale was applied.
    const saleApplied = causal.calls.filter((c) => c.eventId === sale.id).at(-1)!.at;
    expect(causal.calls.filter((c) => c.eventId === ret.id).every((c) => c.at >= saleApplied)).toBe(true);
  });

  it('gives up an attempt at the timeout, aborting the signal, and retries', async () => {
    const e = testEvent('slow', 1);
    await h.commit([e]);
    await eventually(() => slow.applied.includes(e.id));
    const row = (await ledger(h, 'slow')).find((r) => r.event_id === e.id)!;
    expect(row).toMatchObject({ status: 'applied', attempts: 2, last_error_type: 'timeout' });
  });
});

describe('circuit breaker and reconciliation', () => {
  let down = true;
  const fragile = recordingTarget('fragile', [SALE], () => (down ? unavailable : { ok: true }), {
    breaker: { failureThreshold: 2, openMs: 400 },
    retry: { baseMs: 10, capMs: 20, maxAttempts: 50 },
  });
  const steady = recordingTarget('steady', [SALE]);
  let h: DispatchHarness;

  beforeAll(async () => {
    h = await startHarness([fragile, steady], { reconciler: { everyMs: 3_600_000, boundMs: 0 } });
  }, 60_000);
  afterAll(async () => h?.close(), 60_000);

  it('opens the breaker on a failing target: far fewer attempts, nothing dead-lettered, all applied once it is back', async () => {
    const events = Array.from({ length: 10 }, (_, i) => testEvent(`b${i}`, 1));
    await h.commit(events);
    await new Promise((r) => setTimeout(r, 1500));
    const attemptsWhileDown = fragile.calls.length;
    down = false;
    await eventually(() => events.every((e) => fragile.applied.includes(e.id)), 20_000);
    // Without the breaker, 10 events retried every 10-20 ms for 1.5 s would make hundreds of attempts.
    expect(attemptsWhileDown).toBeLessThan(40);
    const rows = await ledger(h, 'fragile');
    expect(rows.filter((r) => r.status === 'dead')).toEqual([]);
    expect(steady.applied).toHaveLength(10);
  });

  it('republishes an event a connector never saw (a message the broker lost)', async () => {
    const e = testEvent('lost', 1);
    // Take the lane's messages away as soon as the relay publishes them: the broker "lost" them.
    await h.dispatcher.runtime.stop(0);
    await h.commit([e]);
    await eventually(async () => {
      const o = await h.store.db
        .selectFrom('outbox')
        .select('published_at')
        .where('event_id', '=', e.id)
        .executeTakeFirst();
      return !!o?.published_at;
    });
    await sql`delete from queue_messages where lane = 'steady'`.execute(h.store.db);
    await h.dispatcher.runtime.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(steady.applied).not.toContain(e.id);
    const reports = await h.dispatcher.reconciler.runOnce();
    expect(reports.find((r) => r.connectorId === 'steady')).toMatchObject({ unseen: 1 });
    await eventually(() => steady.applied.includes(e.id));
    expect(steady.applied.filter((id) => id === e.id)).toHaveLength(1);
  });
});

describe('an ordered connector after the broker lost messages', () => {
  const ordered = recordingTarget('gapless', [SALE], undefined, { orderedPerStore: true });
  let h: DispatchHarness;

  beforeAll(async () => {
    h = await startHarness([ordered]);
  }, 60_000);
  afterAll(async () => h?.close(), 60_000);

  it("applies the store's earlier events first, fetching the lost ones itself, without waiting for the reconciler", async () => {
    const events = [1, 2, 3, 4].map((n) => testEvent('gap', n));
    await h.dispatcher.runtime.stop(0);
    await h.commit(events);
    await eventually(async () => {
      const n = await sql<{ n: number }>`
        select count(*)::int as n from outbox where store_id = 'gap' and published_at is not null`.execute(
        h.store.db,
      );
      return n.rows[0]?.n === 4;
    });
    // The broker "loses" the first two: only events 3 and 4 reach the lane.
    const lost = events.slice(0, 2).map((e) => e.id);
    await sql`delete from queue_messages where lane = 'gapless' and message->>'id' in (${sql.join(lost)})`.execute(
      h.store.db,
    );
    await h.dispatcher.runtime.start();
    await eventually(() => ordered.applied.length === 4);
    expect(ordered.applied).toEqual(events.map((e) => e.id));
    const rows = await ledger(h, 'gapless');
    expect(rows.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
  });
});

describe('a delivery left in flight by a process that lost its database mid-attempt', () => {
  const target = recordingTarget('stranded', [SALE], undefined, { timeoutMs: 100 });
  let h: DispatchHarness;

  beforeAll(async () => {
    h = await startHarness([target], { reconciler: { everyMs: 3_600_000, boundMs: 0 } });
  }, 60_000);
  afterAll(async () => h?.close(), 60_000);

  it('is released by the reconciler and applied, not taken as busy forever', async () => {
    const e = testEvent('stranded', 1);
    await h.dispatcher.runtime.stop(0);
    await h.commit([e]);
    await eventually(async () => {
      const o = await h.store.db
        .selectFrom('outbox')
        .select('published_at')
        .where('event_id', '=', e.id)
        .executeTakeFirst();
      return !!o?.published_at;
    });
    // What a cut "applied" write leaves: attempt 1 recorded earlier, the next one started, its message gone.
    await sql`delete from queue_messages where lane = 'stranded'`.execute(h.store.db);
    await sql`
      insert into deliveries (connector_id, event_id, store_id, type, status, attempts, updated_at)
      values ('stranded', ${e.id}, 'stranded', ${SALE}, 'pending', 1, now() - interval '1 second')`.execute(
      h.store.db,
    );
    await h.dispatcher.runtime.start();
    const reports = await h.dispatcher.reconciler.runOnce();
    expect(reports.find((r) => r.connectorId === 'stranded')).toMatchObject({ stalled: 1 });
    await eventually(() => target.applied.includes(e.id), 10_000);
    expect((await ledger(h, 'stranded')).map((r) => r.status)).toEqual(['applied']);
  });
});

describe('a hub whose lane consumers cannot start yet (a Kafka group still rebalancing after a crash)', () => {
  /** The embedded queue, refusing the first two consumer starts as a broker mid-rebalance would. */
  class SlowToJoin extends EmbeddedTransport {
    refusals = 2;
    override async consume(lane: string, handler: DeliveryHandler, options?: ConsumeOptions) {
      if (this.refusals-- > 0) throw new Error('the group join timed out');
      return super.consume(lane, handler, options);
    }
  }
  const target = recordingTarget('late', [SALE]);
  const errors: string[] = [];
  let h: DispatchHarness;

  beforeAll(async () => {
    h = await startHarness(
      [target],
      { onError: (_e, context) => errors.push(context) },
      { Transport: SlowToJoin, consumers: 'background' },
    );
  }, 60_000);
  afterAll(async () => h?.close(), 60_000);

  it('starts at once, takes events, and delivers them once its consumers are retried into place', async () => {
    expect(h.dispatcher.consuming).toBe(false);
    const e = testEvent('late', 1);
    await h.commit([e]);
    await eventually(() => target.applied.includes(e.id), 20_000);
    expect(h.dispatcher.consuming).toBe(true);
    expect(errors.filter((c) => c.startsWith('starting lane consumers'))).toHaveLength(2);
    expect(target.calls).toHaveLength(1);
  });
});

describe('the outbox relay with a byte budget per round', () => {
  const target = recordingTarget('budget', [SALE], undefined, { orderedPerStore: true });
  const rounds: number[] = [];
  let h: DispatchHarness;

  beforeAll(async () => {
    h = await startHarness([target], {
      relay: { pollMs: 10, maxBytes: 1, onPublished: (n) => rounds.push(n) },
    });
  }, 60_000);
  afterAll(async () => h?.close(), 60_000);

  it('publishes a backlog one row per round when each row is over the budget, in order, losing none', async () => {
    const events = [1, 2, 3].map((n) => testEvent('budget', n));
    await h.commit(events);
    await eventually(() => target.applied.length === 3);
    expect(target.applied).toEqual(events.map((e) => e.id));
    expect(rounds.filter((n) => n > 0)).toEqual([1, 1, 1]);
  });
});
