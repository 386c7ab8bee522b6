import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchMessage } from '../dispatch-message.ts';
import {
  type ConsumeOptions,
  type DeliveryHandler,
  type Disposition,
  InvalidLaneError,
  type LaneConsumer,
  type Transport,
} from '../transport.ts';

/** A transport implementation as the conformance suite drives it. */
export interface TransportUnderTest {
  /**
   * Opens a new transport with its own connections, as another hub process would. Every transport opened
   * for one suite shares a namespace, so they see the same topics and queues.
   */
  open(): Promise<Transport>;
  /** Upper bound on how long an abandoned (crashed) delivery takes to come back, e.g. a visibility timeout. */
  redeliveryWithinMs: number;
  /** Removes what the suite created. */
  cleanup?(): Promise<void>;
}

const TEST_TIMEOUT_MS = 90_000;

/**
 * The one suite every transport passes (as Kysely runs every test over every dialect): routing by
 * subscription, order per store under concurrency, bounded in-flight work, retry with delay that does not
 * hold other stores back, dead-lettering, redelivery after a consumer crash, replay into one lane,
 * duplicates delivered at most as often as published, and stop.
 */
export function describeTransportConformance(name: string, create: () => Promise<TransportUnderTest>): void {
  describe(`transport conformance: ${name}`, () => {
    let sut: TransportUnderTest;
    let transport: Transport;
    const opened: Transport[] = [];

    beforeAll(async () => {
      sut = await create();
      transport = await sut.open();
      opened.push(transport);
    }, TEST_TIMEOUT_MS);

    afterAll(async () => {
      for (const t of opened) await t.close().catch(() => undefined);
      await sut?.cleanup?.();
    }, TEST_TIMEOUT_MS);

    it(
      'routes each message to every lane subscribed to its type, and only there, attributes intact',
      async () => {
        const [t1, t2, t3, unsubscribed] = [freshType(), freshType(), freshType(), freshType()];
        const a = freshLane('route-a');
        const b = freshLane('route-b');
        await transport.setup({
          lanes: [
            { id: a, types: [t1, t2] },
            { id: b, types: [t3] },
          ],
        });
        const ra = await collect(transport, a);
        const rb = await collect(transport, b);
        const sent = [
          message(t1, 'store-1', 1, { time: '2026-11-23T10:15:00.000+01:00', traceparent: TRACEPARENT }),
          message(t3, 'store-1', 2),
          message(t2, 'store-2', 1, { dataschema: 'https://poshub.dev/schemas/x.json', tracestate: 'pos=1' }),
          message(unsubscribed, 'store-1', 3),
        ];
        await transport.publish(sent);
        await ra.waitFor(2);
        await rb.waitFor(1);
        await sleep(1000);
        expect(sortById(ra.messages())).toEqual(sortById([sent[0]!, sent[2]!]));
        expect(rb.messages()).toEqual([sent[1]]);
        await ra.stop();
        await rb.stop();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'hands messages of one store over one at a time and in publish order, within maxInFlight',
      async () => {
        const type = freshType();
        const lane = freshLane('order');
        await transport.setup({ lanes: [{ id: lane, types: [type] }] });
        let inFlight = 0;
        let maxSeen = 0;
        const busyStores = new Set<string>();
        let overlap = false;
        const r = await collect(
          transport,
          lane,
          async ({ message: m }) => {
            inFlight++;
            maxSeen = Math.max(maxSeen, inFlight);
            if (busyStores.has(m.subject)) overlap = true;
            busyStores.add(m.subject);
            await sleep(Math.random() * 4);
            busyStores.delete(m.subject);
            inFlight--;
            return { kind: 'ack' };
          },
          { maxInFlight: 4 },
        );
        const stores = ['s-1', 's-2', 's-3', 's-4', 's-5'];
        const sent: DispatchMessage[] = [];
        for (let seq = 1; seq <= 30; seq++) for (const store of stores) sent.push(message(type, store, seq));
        for (let i = 0; i < sent.length; i += 25) await transport.publish(sent.slice(i, i + 25));
        await r.waitFor(sent.length);
        await r.stop();
        for (const store of stores) {
          expect(seqsOf(r.messages(), store)).toEqual(seqsOf(sent, store));
        }
        expect(overlap).toBe(false);
        expect(maxSeen).toBeLessThanOrEqual(4);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "without per-store order, hands one store's messages over concurrently, within maxInFlight",
      async () => {
        const type = freshType();
        const lane = freshLane('unordered');
        await transport.setup({ lanes: [{ id: lane, types: [type] }] });
        let inFlight = 0;
        let maxSeen = 0;
        const r = await collect(
          transport,
          lane,
          async () => {
            inFlight++;
            maxSeen = Math.max(maxSeen, inFlight);
            await sleep(150);
            inFlight--;
            return { kind: 'ack' };
          },
          { maxInFlight: 4, perStoreOrder: false },
        );
        const sent = Array.from({ length: 20 }, (_, i) => message(type, 'one-store', i + 1));
        await transport.publish(sent);
        await r.waitFor(sent.length);
        await r.stop();
        expect(new Set(r.messages().map((m) => m.id))).toEqual(new Set(sent.map((m) => m.id)));
        expect(maxSeen).toBeGreaterThan(1);
        expect(maxSeen).toBeLessThanOrEqual(4);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'publishes a batch of 1,000 in one call and delivers every message',
      async () => {
        const type = freshType();
        const lane = freshLane('bulk');
        await transport.setup({ lanes: [{ id: lane, types: [type] }] });
        const r = await collect(transport, lane, undefined, { maxInFlight: 64 });
        const sent = Array.from({ length: 1000 }, (_, i) => message(type, `s-${i % 7}`, i));
        await transport.publish(sent);
        await r.waitFor(sent.length, 60_000);
        await r.stop();
        expect(new Set(r.messages().map((m) => m.id))).toEqual(new Set(sent.map((m) => m.id)));
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'retries after the delay asked for, without holding back other stores',
      async () => {
        const type = freshType();
        const lane = freshLane('retry');
        await transport.setup({ lanes: [{ id: lane, types: [type] }] });
        const flaky = message(type, 'store-flaky', 1);
        const other = message(type, 'store-other', 1);
        const seen: Array<{ id: string; at: number }> = [];
        const r = await collect(transport, lane, async ({ message: m }) => {
          seen.push({ id: m.id, at: Date.now() });
          const attempts = seen.filter((s) => s.id === m.id).length;
          return m.id === flaky.id && attempts <= 2 ? { kind: 'retry', delayMs: 400 } : { kind: 'ack' };
        });
        await transport.publish([flaky]);
        await waitUntil(() => seen.length >= 1, 30_000);
        await transport.publish([other]);
        await waitUntil(() => seen.filter((s) => s.id === flaky.id).length >= 3, 60_000);
        await waitUntil(() => seen.some((s) => s.id === other.id), 30_000);
        await sleep(1000);
        await r.stop();
        const flakyTimes = seen.filter((s) => s.id === flaky.id).map((s) => s.at);
        expect(flakyTimes).toHaveLength(3);
        expect(flakyTimes[1]! - flakyTimes[0]!).toBeGreaterThanOrEqual(380);
        expect(flakyTimes[2]! - flakyTimes[1]!).toBeGreaterThanOrEqual(380);
        // The other store's message was not stuck behind the retried one.
        const otherAt = seen.find((s) => s.id === other.id)!.at;
        expect(otherAt).toBeLessThan(flakyTimes[2]!);
        expect(seen.filter((s) => s.id === other.id)).toHaveLength(1);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'moves a message the handler gives up on to the dead-letter queue, with the reason, and stops delivering it',
      async () => {
        const type = freshType();
        const lane = freshLane('dead');
        await transport.setup({ lanes: [{ id: lane, types: [type] }] });
        const poison = message(type, 'store-1', 1);
        const fine = message(type, 'store-1', 2);
        const r = await collect(transport, lane, async ({ message: m }) =>
          m.id === poison.id ? { kind: 'dead', reason: 'permanent: 400 invalid SKU' } : { kind: 'ack' },
        );
        await transport.publish([poison, fine]);
        await r.waitFor(2);
        const dead = await transport.takeDeadLetters(lane, { waitMs: 30_000 });
        await sleep(1000);
        await r.stop();
        expect(dead).toEqual([{ message: poison, reason: 'permanent: 400 invalid SKU' }]);
        expect(r.messages().map((m) => m.id)).toEqual([poison.id, fine.id]);
        expect(await transport.takeDeadLetters(lane, { waitMs: 500 })).toEqual([]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'redelivers what a crashed consumer held, to the next consumer of the lane',
      async () => {
        const type = freshType();
        const lane = freshLane('crash');
        const doomed = await sut.open();
        opened.push(doomed);
        await doomed.setup({ lanes: [{ id: lane, types: [type] }] });
        await transport.setup({ lanes: [{ id: lane, types: [type] }] });
        let held = 0;
        const stuck = await doomed.consume(lane, async () => {
          held++;
          return new Promise<Disposition>(() => {});
        });
        const m = message(type, 'store-1', 1);
        await transport.publish([m]);
        await waitUntil(() => held === 1, 30_000);
        await stuck.stop(0);
        await doomed.close();
        const r = await collect(transport, lane);
        await r.waitFor(1, sut.redeliveryWithinMs + 30_000);
        await r.stop();
        expect(r.messages()).toEqual([m]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'publishTo replays into one lane only, whatever it subscribes to',
      async () => {
        const [t1, t2] = [freshType(), freshType()];
        const a = freshLane('replay-a');
        const b = freshLane('replay-b');
        await transport.setup({
          lanes: [
            { id: a, types: [t1] },
            { id: b, types: [t1] },
          ],
        });
        await transport.setup({
          lanes: [
            { id: a, types: [t1] },
            { id: b, types: [t1] },
          ],
        }); // idempotent
        const ra = await collect(transport, a);
        const rb = await collect(transport, b);
        const replayed = [message(t1, 'store-1', 1), message(t2, 'store-1', 2)];
        await transport.publishTo(b, replayed);
        await rb.waitFor(2);
        await sleep(1000);
        await ra.stop();
        await rb.stop();
        expect(rb.messages()).toEqual(replayed);
        expect(ra.messages()).toEqual([]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'delivers a message published twice at least once and at most twice',
      async () => {
        const type = freshType();
        const lane = freshLane('dup');
        await transport.setup({ lanes: [{ id: lane, types: [type] }] });
        const r = await collect(transport, lane);
        const m = message(type, 'store-1', 1);
        await transport.publish([m]);
        await transport.publish([m]);
        await r.waitFor(1);
        await sleep(1500);
        await r.stop();
        expect(r.messages().length).toBeGreaterThanOrEqual(1);
        expect(r.messages().length).toBeLessThanOrEqual(2);
        for (const got of r.messages()) expect(got).toEqual(m);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'stops handing messages to a stopped consumer; the next consumer gets them',
      async () => {
        const type = freshType();
        const lane = freshLane('stop');
        await transport.setup({ lanes: [{ id: lane, types: [type] }] });
        const first = await collect(transport, lane);
        await first.stop();
        const m = message(type, 'store-1', 1);
        await transport.publish([m]);
        await sleep(1500);
        expect(first.messages()).toEqual([]);
        const second = await collect(transport, lane);
        await second.waitFor(1);
        await second.stop();
        expect(second.messages()).toEqual([m]);
      },
      TEST_TIMEOUT_MS,
    );

    it('refuses a lane id no broker could name a queue after', async () => {
      await expect(transport.setup({ lanes: [{ id: 'Bad Lane!', types: ['x.v1'] }] })).rejects.toBeInstanceOf(
        InvalidLaneError,
      );
      await expect(transport.publishTo('../etc', [])).rejects.toBeInstanceOf(InvalidLaneError);
    });
  });
}

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function freshType(): string {
  return `t${randomUUID().slice(0, 8)}.happened.v1`;
}

function freshLane(what: string): string {
  return `${what}-${randomUUID().slice(0, 8)}`;
}

function message(
  type: string,
  store: string,
  seq: number,
  extra: Partial<DispatchMessage> = {},
): DispatchMessage {
  return {
    id: `${store}-${seq}-${randomUUID()}`,
    type,
    source: '/poshub/conformance',
    subject: store,
    data: JSON.stringify({ seq, store, note: 'é € 😀' }),
    ...extra,
  };
}

function seqsOf(messages: DispatchMessage[], store: string): number[] {
  return messages.filter((m) => m.subject === store).map((m) => (JSON.parse(m.data) as { seq: number }).seq);
}

function sortById(messages: DispatchMessage[]): DispatchMessage[] {
  return [...messages].sort((x, y) => x.id.localeCompare(y.id));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

interface Collector {
  messages(): DispatchMessage[];
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

async function collect(
  transport: Transport,
  lane: string,
  handler?: DeliveryHandler,
  options?: ConsumeOptions,
): Promise<Collector> {
  const got: DispatchMessage[] = [];
  const consumer: LaneConsumer = await transport.consume(
    lane,
    async (delivery) => {
      got.push(delivery.message);
      return handler ? handler(delivery) : { kind: 'ack' };
    },
    options,
  );
  return {
    messages: () => got,
    waitFor: async (count, timeoutMs = 30_000) => {
      try {
        await waitUntil(() => got.length >= count, timeoutMs);
      } catch {
        throw new Error(`lane ${lane}: ${got.length} of ${count} messages arrived within ${timeoutMs} ms`);
      }
    },
    stop: () => consumer.stop(),
  };
}
