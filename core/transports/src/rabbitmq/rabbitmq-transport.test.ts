import { randomUUID } from 'node:crypto';
import { readServiceUrls } from '@poshub/local-services';
import { requireService } from '@poshub/local-services/require-service';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchMessage } from '../dispatch-message.ts';
import { describeTransportConformance } from '../testing/transport-conformance.ts';
import type { Disposition } from '../transport.ts';
import { deleteRabbitmqNamespace } from './delete-rabbitmq-namespace.ts';
import { RabbitmqPublishError, RabbitmqTransportClosedError } from './rabbitmq-errors.ts';
import { RabbitmqTransport, type RabbitmqTransportOptions } from './rabbitmq-transport.ts';

describeTransportConformance('RabbitMQ (real)', async () => {
  const urls = readServiceUrls();
  await requireService('rabbitmq', urls.amqpUrl);
  const namespace = `poshub-test-${randomUUID().slice(0, 8)}`;
  return {
    // Each call opens its own connections, as another hub process would.
    open: async () => new RabbitmqTransport({ url: urls.amqpUrl, namespace }),
    // Unacked deliveries return as soon as the channel closes.
    redeliveryWithinMs: 1000,
    cleanup: async () => {
      await deleteRabbitmqNamespace({ managementUrl: urls.rabbitmqManagementUrl }, namespace);
    },
  };
});

describe('RabbitMQ transport specifics (real)', () => {
  const urls = readServiceUrls();
  const namespace = `poshub-test-${randomUUID().slice(0, 8)}`;
  const opened: RabbitmqTransport[] = [];
  const errors: Error[] = [];
  const open = (options: Partial<RabbitmqTransportOptions> = {}) => {
    const transport = new RabbitmqTransport({
      url: urls.amqpUrl,
      namespace,
      onError: (error) => errors.push(error),
      ...options,
    });
    opened.push(transport);
    return transport;
  };

  beforeAll(() => requireService('rabbitmq', urls.amqpUrl));

  afterAll(async () => {
    for (const t of opened) await t.close();
    await deleteRabbitmqNamespace({ managementUrl: urls.rabbitmqManagementUrl }, namespace);
  }, TIMEOUT_MS);

  it(
    'keeps a second consumer of a lane on standby until the first stops, then hands it what the first held, first',
    async () => {
      const type = freshType();
      const lane = freshLane('sac');
      const first = open();
      const second = open();
      await first.setup({ lanes: [{ id: lane, types: [type] }] });
      const got: Array<{ by: string; id: string }> = [];
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const a = await first.consume(lane, async ({ message }) => {
        got.push({ by: 'first', id: message.id });
        await held; // stays in the handler: the stop below abandons it
        return { kind: 'ack' };
      });
      const b = await second.consume(lane, async ({ message }) => {
        got.push({ by: 'second', id: message.id });
        return { kind: 'ack' };
      });
      const sent = [1, 2, 3].map((seq) => message(type, 'store-1', seq));
      await first.publish(sent);
      await waitUntil(() => got.length >= 1, 10_000);
      await sleep(1000);
      // The broker's view: one consumer single_active, the other waiting.
      const statuses = await waitFor(async () => {
        const queue = (await management(`/api/queues/%2F/${encodeURIComponent(`${namespace}.${lane}`)}`)) as {
          consumer_details?: Array<{ activity_status: string }>;
        };
        const found = (queue.consumer_details ?? []).map((c) => c.activity_status).sort();
        return found.length === 2 ? found : undefined;
      }, 20_000);
      expect(statuses).toEqual(['single_active', 'waiting']);
      expect(got).toEqual([{ by: 'first', id: sent[0]!.id }]); // store-1's 2 and 3 wait behind 1
      await a.stop(0);
      release();
      await waitUntil(() => got.length >= 4, 10_000);
      await b.stop();
      expect(got.slice(1)).toEqual(sent.map((m) => ({ by: 'second', id: m.id })));
    },
    TIMEOUT_MS,
  );

  it(
    'counts deliveries: x-delivery-count for returns, a carried header across retries',
    async () => {
      const type = freshType();
      const lane = freshLane('count');
      const transport = open();
      await transport.setup({ lanes: [{ id: lane, types: [type] }] });
      const counts: number[] = [];
      let crashed = false;
      const doomed = await open().consume(lane, async ({ deliveryCount }) => {
        counts.push(deliveryCount);
        crashed = true;
        return new Promise<Disposition>(() => {});
      });
      await transport.publish([message(type, 'store-1', 1)]);
      await waitUntil(() => crashed, 10_000);
      await doomed.stop(0); // returned by the channel close: x-delivery-count 1
      const consumer = await transport.consume(lane, async ({ deliveryCount }) => {
        counts.push(deliveryCount);
        return counts.length < 4 ? { kind: 'retry', delayMs: 0 } : { kind: 'ack' };
      });
      await waitUntil(() => counts.length >= 4, 10_000);
      await consumer.stop();
      expect(counts).toEqual([1, 2, 3, 4]);
    },
    TIMEOUT_MS,
  );

  it(
    'keeps a delivery whose retry copy the broker refuses: it comes back instead of being acked',
    async () => {
      const type = freshType();
      const lane = freshLane('lost-tier');
      const transport = open();
      await transport.setup({ lanes: [{ id: lane, types: [type] }] });
      await management(`/api/queues/%2F/${encodeURIComponent(`${namespace}.${lane}.retry.250`)}`, 'DELETE');
      const counts: number[] = [];
      const consumer = await transport.consume(lane, async ({ deliveryCount }) => {
        counts.push(deliveryCount);
        return counts.length === 1 ? { kind: 'retry', delayMs: 100 } : { kind: 'ack' };
      });
      const errorsBefore = errors.length;
      await transport.publish([message(type, 'store-1', 1)]);
      await waitUntil(() => counts.length >= 2, 10_000);
      await consumer.stop();
      expect(counts).toEqual([1, 2]); // rejected back to the lane, counted by x-delivery-count
      expect(errors.slice(errorsBefore)).toContainEqual(expect.objectContaining({ failure: 'returned' }));
    },
    TIMEOUT_MS,
  );

  it(
    'rejects a publish the broker returns (queue or binding missing), skips types no lane subscribes to',
    async () => {
      const type = freshType();
      const lane = freshLane('returned');
      const transport = open();
      await transport.setup({ lanes: [{ id: lane, types: [type] }] });
      await transport.publish([message(freshType(), 'store-1', 1)]); // no lane wants it: skipped, resolves
      await management(`/api/queues/%2F/${encodeURIComponent(`${namespace}.${lane}`)}`, 'DELETE');
      const published = transport.publish([message(type, 'store-1', 2)]);
      await expect(published).rejects.toBeInstanceOf(RabbitmqPublishError);
      await expect(published).rejects.toMatchObject({ failure: 'returned' });
      await expect(
        transport.publishTo(freshLane('never-declared'), [message(type, 's', 1)]),
      ).rejects.toMatchObject({ failure: 'returned' });
      // The channel survives a return: the next publish into a queue that exists goes through.
      await transport.setup({ lanes: [{ id: lane, types: [type] }] });
      await transport.publish([message(type, 'store-1', 3)]);
    },
    TIMEOUT_MS,
  );

  it(
    'dead-letters what exceeds the delivery limit, and foreign messages, with a reason',
    async () => {
      const limitedNamespace = `${namespace}-limit`;
      const limited = new RabbitmqTransport({
        url: urls.amqpUrl,
        namespace: limitedNamespace,
        deliveryLimit: 1,
      });
      opened.push(limited);
      try {
        const type = freshType();
        const lane = freshLane('limit');
        await limited.setup({ lanes: [{ id: lane, types: [type] }] });
        const poison = message(type, 'store-1', 1);
        await limited.publish([poison]);
        let calls = 0;
        // Each consumer "crashes" holding it; with a limit of 1 the broker gives up after the second return.
        for (let round = 1; round <= 2; round++) {
          const consumer = await limited.consume(lane, async () => {
            calls++;
            return new Promise<Disposition>(() => {});
          });
          await waitUntil(() => calls >= round, 10_000);
          await consumer.stop(0);
        }
        const dead = await limited.takeDeadLetters(lane, { waitMs: 10_000 });
        expect(dead).toHaveLength(1);
        expect(dead[0]!.message).toEqual(poison);
        expect(dead[0]!.reason).toMatch(/delivery limit/);

        // A message without CloudEvents headers never reaches the handler: it is dead-lettered.
        const raw = await amqp.connect(urls.amqpUrl);
        const channel = await raw.createConfirmChannel();
        channel.sendToQueue(`${limitedNamespace}.${lane}`, Buffer.from('hello'), { messageId: 'foreign-1' });
        await channel.waitForConfirms();
        await raw.close();
        const handled: string[] = [];
        const consumer = await limited.consume(lane, async ({ message: m }) => {
          handled.push(m.id);
          return { kind: 'ack' };
        });
        const foreign = await limited.takeDeadLetters(lane, { waitMs: 10_000 });
        await consumer.stop();
        expect(handled).toEqual([]);
        expect(foreign).toHaveLength(1);
        expect(foreign[0]!.message.id).toBe('foreign-1');
        expect(foreign[0]!.reason).toMatch(/not a poshub message/);
      } finally {
        await limited.close();
        await deleteRabbitmqNamespace({ managementUrl: urls.rabbitmqManagementUrl }, limitedNamespace);
      }
    },
    TIMEOUT_MS,
  );

  it(
    'never retries sooner than asked, also beyond the largest tier',
    async () => {
      const tieredNamespace = `${namespace}-tiers`;
      const tiered = new RabbitmqTransport({
        url: urls.amqpUrl,
        namespace: tieredNamespace,
        retryTiersMs: [100, 200],
      });
      opened.push(tiered);
      try {
        const type = freshType();
        const lane = freshLane('tiers');
        await tiered.setup({ lanes: [{ id: lane, types: [type] }] });
        const seen: Array<{ at: number; count: number }> = [];
        const consumer = await tiered.consume(lane, async ({ deliveryCount }) => {
          seen.push({ at: Date.now(), count: deliveryCount });
          return seen.length === 1 ? { kind: 'retry', delayMs: 650 } : { kind: 'ack' };
        });
        await tiered.publish([message(type, 'store-1', 1)]);
        await waitUntil(() => seen.length >= 2, 10_000);
        await consumer.stop();
        expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(650);
        expect(seen[1]!.at - seen[0]!.at).toBeLessThan(650 + 1500);
        expect(seen.map((s) => s.count)).toEqual([1, 2]);
      } finally {
        await tiered.close();
        await deleteRabbitmqNamespace({ managementUrl: urls.rabbitmqManagementUrl }, tieredNamespace);
      }
    },
    TIMEOUT_MS,
  );

  it(
    'survives the broker closing its connections: consumers subscribe again, publish reconnects',
    async () => {
      const type = freshType();
      const lane = freshLane('reconnect');
      const transport = open();
      await transport.setup({ lanes: [{ id: lane, types: [type] }] });
      const got: string[] = [];
      const consumer = await transport.consume(lane, async ({ message: m }) => {
        got.push(m.id);
        return { kind: 'ack' };
      });
      const before = message(type, 'store-1', 1);
      await transport.publish([before]);
      await waitUntil(() => got.length >= 1, 10_000);
      const errorsBefore = errors.length;
      const killed = await waitFor(async () => {
        const connections = (await management('/api/connections?columns=name,user_provided_name')) as Array<{
          name: string;
          user_provided_name?: string;
        }>;
        const ours = connections.filter((c) => c.user_provided_name?.startsWith(`poshub ${namespace} `));
        return ours.length >= 2 ? ours : undefined;
      }, 20_000);
      for (const c of killed) await management(`/api/connections/${encodeURIComponent(c.name)}`, 'DELETE');
      await waitUntil(() => errors.length > errorsBefore, 10_000);
      const after = message(type, 'store-1', 2);
      await waitFor(async () => {
        try {
          await transport.publish([after]);
          return true;
        } catch {
          return undefined; // the first publish may meet the dying channel
        }
      }, 20_000);
      await waitUntil(() => got.includes(after.id), 20_000);
      await consumer.stop();
      expect(got[0]).toBe(before.id);
    },
    TIMEOUT_MS,
  );

  it(
    'rejects every operation once closed, and closes quickly twice',
    async () => {
      const transport = open();
      const lane = freshLane('closed');
      await transport.setup({ lanes: [{ id: lane, types: ['x.closed.v1'] }] });
      const started = Date.now();
      await transport.close();
      await transport.close();
      expect(Date.now() - started).toBeLessThan(5000);
      await expect(transport.publish([message('x.closed.v1', 's', 1)])).rejects.toBeInstanceOf(
        RabbitmqTransportClosedError,
      );
      await expect(transport.publishTo(lane, [])).rejects.toBeInstanceOf(RabbitmqTransportClosedError);
      await expect(transport.consume(lane, async () => ({ kind: 'ack' }))).rejects.toBeInstanceOf(
        RabbitmqTransportClosedError,
      );
    },
    TIMEOUT_MS,
  );

  async function management(path: string, method: 'GET' | 'DELETE' = 'GET'): Promise<unknown> {
    const base = new URL(urls.rabbitmqManagementUrl);
    const auth = Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`);
    base.username = '';
    base.password = '';
    const response = await fetch(new URL(path, base), {
      method,
      headers: { authorization: `Basic ${auth.toString('base64')}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`management ${method} ${path}: ${response.status}`);
    return method === 'GET' ? response.json() : undefined;
  }
});

const TIMEOUT_MS = 90_000;

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
    source: '/poshub/rabbitmq-test',
    subject: store,
    data: JSON.stringify({ seq, store }),
  };
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

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`nothing found within ${timeoutMs} ms`);
    await sleep(250);
  }
}
