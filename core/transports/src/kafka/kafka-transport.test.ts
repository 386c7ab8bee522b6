import { randomUUID } from 'node:crypto';
import { Admin, ProduceAcks, Producer, stringSerializers } from '@platformatic/kafka';
import { readServiceUrls } from '@poshub/local-services';
import { requireService } from '@poshub/local-services/require-service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchMessage } from '../dispatch-message.ts';
import { describeTransportConformance } from '../testing/transport-conformance.ts';
import type { Delivery, Disposition } from '../transport.ts';
import { KafkaTransport, type KafkaTransportOptions, TransportClosedError } from './kafka-transport.ts';

const SESSION_TIMEOUT_MS = 6000;

function options(namespace: string, extra: Partial<KafkaTransportOptions> = {}): KafkaTransportOptions {
  return {
    brokers: readServiceUrls().kafkaBrokers,
    namespace,
    clientId: 'poshub-test',
    // The broker's smallest session timeout (group.min.session.timeout.ms).
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    heartbeatIntervalMs: 500,
    ...extra,
  };
}

describeTransportConformance('Kafka (real)', async () => {
  const urls = readServiceUrls();
  await requireService('kafka', urls.kafkaBrokers[0]!);
  const namespace = freshNamespace();
  return {
    open: async () => new KafkaTransport(options(namespace)),
    // A member that vanished without leaving holds its partitions until its session times out.
    redeliveryWithinMs: SESSION_TIMEOUT_MS,
    cleanup: () => deleteNamespace(namespace),
  };
});

describe('Kafka transport (real): what the suite does not pin down', () => {
  const namespace = freshNamespace();
  const opened: KafkaTransport[] = [];
  let transport: KafkaTransport;
  // One partition per topic, so which records share a partition (and an offset sequence) is known.
  const open = () => {
    const t = new KafkaTransport(options(namespace, { partitions: 1 }));
    opened.push(t);
    return t;
  };

  beforeAll(async () => {
    await requireService('kafka', readServiceUrls().kafkaBrokers[0]!);
    transport = open();
  });

  afterAll(async () => {
    for (const t of opened) await t.close();
    await deleteNamespace(namespace);
  }, 30_000);

  it('starts a newly set-up lane at the end of the shared family topic, not at its history', async () => {
    const type = freshType();
    const old = freshLane('old');
    await transport.setup({ lanes: [{ id: old, types: [type] }] });
    const history = [message(type, 's-1', 1), message(type, 's-2', 2)];
    await transport.publish(history);

    const newcomer = freshLane('new');
    await transport.setup({ lanes: [{ id: newcomer, types: [type] }] });
    const later = message(type, 's-1', 3);
    await transport.publish([later]);
    const got = await collect(transport, newcomer);
    await waitUntil(() => got.deliveries.length >= 1);
    await sleep(1000);
    await got.stop();
    expect(got.messages()).toEqual([later]);

    // The lane that existed before still has everything.
    const first = await collect(transport, old);
    await waitUntil(() => first.deliveries.length >= 3);
    await first.stop();
    expect(first.messages()).toEqual([...history, later]);
  });

  it('commits only up to the first unsettled delivery of a partition', async () => {
    const type = freshType();
    const lane = freshLane('prefix');
    await transport.setup({ lanes: [{ id: lane, types: [type] }] });
    // One partition: offsets 0, 1, 2. Store b settles 1 and 2 while store a's 0 hangs.
    const sent = [message(type, 'a', 1), message(type, 'b', 2), message(type, 'b', 3)];
    const doomed = open();
    await doomed.setup({ lanes: [{ id: lane, types: [type] }] });
    const acked: string[] = [];
    const stuck = await doomed.consume(lane, async ({ message: m }) => {
      if (m.subject === 'a') return new Promise<Disposition>(() => {});
      acked.push(m.id);
      return { kind: 'ack' };
    });
    await transport.publish(sent);
    await waitUntil(() => acked.length === 2);
    await stuck.stop(0);
    await doomed.close();

    // Everything from the hanging record on comes back, including what was settled behind it.
    const next = await collect(transport, lane);
    await waitUntil(() => next.deliveries.length >= 3);
    await sleep(500);
    await next.stop();
    expect(next.messages()).toEqual(sent);

    // That consumer settled all three: nothing comes back now.
    const after = await collect(transport, lane);
    await sleep(1500);
    await after.stop();
    expect(after.messages()).toEqual([]);
  });

  it('holds no more than maxInFlight deliveries, and a stop leaves the rest uncommitted', async () => {
    const type = freshType();
    const lane = freshLane('pressure');
    await transport.setup({ lanes: [{ id: lane, types: [type] }] });
    const sent = Array.from({ length: 40 }, (_, i) => message(type, `s-${i % 10}`, i));
    let started = 0;
    const stuck = await transport.consume(
      lane,
      async () => {
        started++;
        return new Promise<Disposition>(() => {});
      },
      { maxInFlight: 3 },
    );
    await transport.publish(sent);
    await waitUntil(() => started === 3);
    await sleep(1000);
    expect(started).toBe(3);
    await stuck.stop(0);

    const next = await collect(transport, lane, undefined, 64);
    await waitUntil(() => next.deliveries.length >= 40);
    await next.stop();
    expect(new Set(next.messages().map((m) => m.id))).toEqual(new Set(sent.map((m) => m.id)));
  });

  it('shares a lane between members of two processes and loses nothing when one leaves', async () => {
    const [t1, t2] = [0, 1].map(() => {
      const t = new KafkaTransport(options(namespace, { partitions: 6 }));
      opened.push(t);
      return t;
    });
    const type = freshType();
    const lane = freshLane('shared');
    await t1!.setup({ lanes: [{ id: lane, types: [type] }] });
    await t2!.setup({ lanes: [{ id: lane, types: [type] }] });
    const seen = new Set<string>();
    const slow = async ({ message: m }: Delivery): Promise<Disposition> => {
      await sleep(2);
      seen.add(m.id);
      return { kind: 'ack' };
    };
    const c1 = await t1!.consume(lane, slow, { maxInFlight: 4 });
    const c2 = await t2!.consume(lane, slow, { maxInFlight: 4 });
    const sent = Array.from({ length: 400 }, (_, i) => message(type, `s-${i % 20}`, i));
    await t1!.publish(sent.slice(0, 200));
    await waitUntil(() => seen.size >= 50);
    await c1.stop(); // leaves the group: its partitions move to c2 from their committed offsets
    await t2!.publish(sent.slice(200));
    await waitUntil(() => seen.size >= sent.length, 30_000);
    await c2.stop();
    expect([...seen].sort()).toEqual(sent.map((m) => m.id).sort());
  });

  it('counts deliveries through the retry topic; publishTo starts at one', async () => {
    const type = freshType();
    const lane = freshLane('count');
    await transport.setup({ lanes: [{ id: lane, types: [type] }] });
    const m = message(type, 's-1', 1);
    const replayed = message(type, 's-2', 2);
    const got = await collect(transport, lane, async ({ message: x, deliveryCount }) =>
      x.id === m.id && deliveryCount < 3 ? { kind: 'retry', delayMs: 100 } : { kind: 'ack' },
    );
    await transport.publish([m]);
    await transport.publishTo(lane, [replayed]);
    // Two trips through the retry topic: generous, since a loaded CI machine (every suite at once) has
    // been seen to take over 20 s to rebalance and fetch them.
    await waitUntil(() => got.deliveries.length >= 4, 75_000);
    await sleep(500);
    await got.stop();
    const counts = (id: string) =>
      got.deliveries.filter((d) => d.message.id === id).map((d) => d.deliveryCount);
    expect(counts(m.id)).toEqual([1, 2, 3]);
    expect(counts(replayed.id)).toEqual([1]);
    for (const d of got.deliveries) expect(d.message).toEqual(d.message.id === m.id ? m : replayed);
  }, 120_000);

  it('dead-letters a record of a subscribed type it cannot read, and takes dead letters in portions', async () => {
    const type = freshType();
    const lane = freshLane('foreign');
    await transport.setup({ lanes: [{ id: lane, types: [type] }] });
    const got = await collect(transport, lane, async () => ({ kind: 'dead', reason: 'no' }));
    const producer = new Producer({
      clientId: 'poshub-test',
      bootstrapBrokers: readServiceUrls().kafkaBrokers,
      acks: ProduceAcks.ALL,
      serializers: stringSerializers,
    });
    try {
      // A CloudEvents type header but no specversion: not something the transport can hand over.
      await producer.send({
        messages: [
          {
            topic: `${namespace}.${type.split('.')[0]}`,
            key: 's-1',
            value: 'raw',
            headers: { ce_type: type },
          },
        ],
      });
    } finally {
      await producer.close();
    }
    const sent = [message(type, 's-1', 1), message(type, 's-1', 2)];
    await transport.publish(sent);
    await waitUntil(() => got.deliveries.length >= 2);

    const firstTwo = await transport.takeDeadLetters(lane, { max: 2, waitMs: 10_000 });
    const rest = await transport.takeDeadLetters(lane, { max: 10, waitMs: 10_000 });
    await got.stop();
    expect(firstTwo).toHaveLength(2);
    expect(firstTwo[0]!.reason).toMatch(/^unreadable: not a CloudEvents 1.0 message/);
    expect(firstTwo[0]!.message.data).toBe('"raw"');
    expect(firstTwo[1]).toEqual({ message: sent[0], reason: 'no' });
    expect(rest).toEqual([{ message: sent[1], reason: 'no' }]);
    expect(await transport.takeDeadLetters(lane)).toEqual([]);
  });

  it('rejects work on a closed transport, and closes in bounded time with a handler still running', async () => {
    const t = open();
    const type = freshType();
    const lane = freshLane('closed');
    await t.setup({ lanes: [{ id: lane, types: [type] }] });
    let held = false;
    await t.consume(lane, async () => {
      held = true;
      return new Promise<Disposition>(() => {});
    });
    await t.publish([message(type, 's-1', 1)]);
    await waitUntil(() => held);
    const waiting = t.takeDeadLetters(lane, { waitMs: 60_000 });
    await sleep(300);
    const closing = Date.now();
    await t.close();
    expect(await waiting).toEqual([]);
    expect(Date.now() - closing).toBeLessThan(5000);
    await t.close(); // idempotent
    await expect(t.publish([message(type, 's-1', 2)])).rejects.toBeInstanceOf(TransportClosedError);
    await expect(t.publishTo(lane, [message(type, 's-1', 3)])).rejects.toBeInstanceOf(TransportClosedError);
    await expect(t.consume(lane, async () => ({ kind: 'ack' }))).rejects.toBeInstanceOf(TransportClosedError);
  });
});

function freshNamespace(): string {
  return `poshub-test-${randomUUID().slice(0, 8)}`;
}

function freshType(): string {
  return `t${randomUUID().slice(0, 8)}.happened.v1`;
}

function freshLane(what: string): string {
  return `${what}-${randomUUID().slice(0, 8)}`;
}

function message(type: string, store: string, seq: number): DispatchMessage {
  return {
    id: `${store}-${seq}-${randomUUID()}`,
    type,
    source: '/poshub/kafka-test',
    subject: store,
    data: JSON.stringify({ seq }),
  };
}

async function collect(
  transport: KafkaTransport,
  lane: string,
  handler?: (delivery: Delivery) => Promise<Disposition>,
  maxInFlight?: number,
) {
  const deliveries: Delivery[] = [];
  const consumer = await transport.consume(
    lane,
    async (delivery) => {
      deliveries.push(delivery);
      return handler ? handler(delivery) : { kind: 'ack' };
    },
    maxInFlight ? { maxInFlight } : {},
  );
  return { deliveries, messages: () => deliveries.map((d) => d.message), stop: () => consumer.stop() };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** Deletes the topics and consumer groups of a test namespace. */
async function deleteNamespace(namespace: string): Promise<void> {
  const admin = new Admin({ clientId: 'poshub-test', bootstrapBrokers: readServiceUrls().kafkaBrokers });
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    const groups = [...(await admin.listGroups()).keys()].filter((g) => g.startsWith(`${namespace}.`));
    if (groups.length > 0) await admin.deleteGroups({ groups });
  } finally {
    await admin.close();
  }
}
