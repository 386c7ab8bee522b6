import { randomUUID } from 'node:crypto';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { readServiceUrls } from '@poshub/local-services';
import { requireService } from '@poshub/local-services/require-service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchMessage } from '../dispatch-message.ts';
import { describeTransportConformance } from '../testing/transport-conformance.ts';
import type { Delivery, Disposition } from '../transport.ts';
import { deleteSqsNamespace } from './delete-sqs-namespace.ts';
import { SqsTransport, type SqsTransportOptions } from './sqs-transport.ts';

const VISIBILITY_S = 4;

describeTransportConformance('sqs (real, ElasticMQ)', async () => {
  const urls = readServiceUrls();
  await requireService('elasticmq', urls.sqs.endpoint);
  const options: SqsTransportOptions = {
    endpoint: urls.sqs.endpoint,
    region: urls.sqs.region,
    credentials: { accessKeyId: urls.sqs.accessKeyId, secretAccessKey: urls.sqs.secretAccessKey },
    namespace: `t-${randomUUID().slice(0, 8)}`,
    visibilityTimeoutSeconds: VISIBILITY_S,
  };
  return {
    // A new SQS client (its own connections) per call, as another hub process would have.
    open: async () => new SqsTransport(options),
    redeliveryWithinMs: VISIBILITY_S * 1000,
    cleanup: async () => {
      await deleteSqsNamespace(options, options.namespace!);
    },
  };
});

describe('SQS transport specifics (real, ElasticMQ)', () => {
  const urls = readServiceUrls();
  const connection = {
    endpoint: urls.sqs.endpoint,
    region: urls.sqs.region,
    credentials: { accessKeyId: urls.sqs.accessKeyId, secretAccessKey: urls.sqs.secretAccessKey },
  };
  const namespace = `t-${randomUUID().slice(0, 8)}`;
  const opened: SqsTransport[] = [];
  const sqs = new SQSClient(connection);
  const open = (extra: Partial<SqsTransportOptions> = {}) => {
    const transport = new SqsTransport({ ...connection, namespace, visibilityTimeoutSeconds: 2, ...extra });
    opened.push(transport);
    return transport;
  };

  beforeAll(() => requireService('elasticmq', urls.sqs.endpoint));
  afterAll(async () => {
    for (const t of opened) await t.close();
    await deleteSqsNamespace(connection, namespace);
    sqs.destroy();
  }, 60_000);

  it('keeps a message in a handler slower than the visibility timeout from being delivered again', async () => {
    const lane = freshLane('slow');
    const type = freshType();
    const [a, b] = [open(), open()];
    await a.setup({ lanes: [{ id: lane, types: [type] }] });
    await b.setup({ lanes: [{ id: lane, types: [type] }] });
    const deliveries: number[] = [];
    const handler = async (d: Delivery): Promise<Disposition> => {
      deliveries.push(d.deliveryCount);
      await sleep(5000);
      return { kind: 'ack' };
    };
    const ca = await a.consume(lane, handler);
    const cb = await b.consume(lane, handler);
    await a.publish([message(type, 'store-1')]);
    await waitUntil(() => deliveries.length > 0, 10_000);
    await sleep(6000);
    await Promise.all([ca.stop(), cb.stop()]);
    expect(deliveries).toEqual([1]);
  }, 30_000);

  it('dead-letters a message that is not a CloudEvent without calling the handler', async () => {
    const lane = freshLane('foreign');
    const t = open();
    await t.setup({ lanes: [{ id: lane, types: [freshType()] }] });
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: `${namespace}_${lane}.fifo` }));
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'hello from elsewhere',
        MessageGroupId: 'g-1',
        MessageDeduplicationId: randomUUID(),
      }),
    );
    let called = 0;
    const consumer = await t.consume(lane, async () => {
      called++;
      return { kind: 'ack' };
    });
    const dead = await t.takeDeadLetters(lane, { waitMs: 10_000 });
    await consumer.stop();
    expect(called).toBe(0);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.reason).toMatch(/^not a CloudEvents 1\.0 message: .*\(SQS message .+\)$/);
    expect(dead[0]!.reason).toContain(sent.MessageId);
    // The letter is a copy with an SQS message id of its own; the reason names the original.
    expect(dead[0]!.message).toMatchObject({
      subject: 'g-1',
      data: 'hello from elsewhere',
    });
  }, 30_000);

  it('lets SQS redrive a message received maxReceiveCount times, reported as such', async () => {
    const lane = freshLane('redrive');
    const type = freshType();
    const t = open({ maxReceiveCount: 2 });
    await t.setup({ lanes: [{ id: lane, types: [type] }] });
    const counts: number[] = [];
    const consumer = await t.consume(lane, async (d) => {
      counts.push(d.deliveryCount);
      return { kind: 'retry', delayMs: 0 };
    });
    const m = message(type, 'store-1');
    await t.publish([m]);
    const dead = await t.takeDeadLetters(lane, { waitMs: 15_000 });
    await consumer.stop();
    expect(counts).toEqual([1, 2]);
    expect(dead).toEqual([{ message: m, reason: 'maxReceiveCount exceeded' }]);
  }, 30_000);

  it('deduplicates a re-publish within five minutes but delivers a replay of the same event', async () => {
    const lane = freshLane('replay');
    const type = freshType();
    const t = open();
    await t.setup({ lanes: [{ id: lane, types: [type] }] });
    const got: DispatchMessage[] = [];
    const consumer = await t.consume(lane, async (d) => {
      got.push(d.message);
      return { kind: 'ack' };
    });
    const m = message(type, 'store-1');
    await t.publish([m]);
    await waitUntil(() => got.length === 1, 10_000);
    await t.publish([m]);
    await t.publishTo(lane, [m]);
    await waitUntil(() => got.length === 2, 10_000);
    await sleep(1500);
    await consumer.stop();
    expect(got).toEqual([m, m]);
  }, 30_000);

  it('keeps every attribute of a dead letter, and carries odd store ids and long event ids', async () => {
    const lane = freshLane('attrs');
    const type = freshType();
    const t = open();
    await t.setup({ lanes: [{ id: lane, types: [type] }] });
    const m = message(type, 'magasin é n°1', {
      id: `evt-${'x'.repeat(200)}`,
      time: '2026-11-23T10:15:00.000+01:00',
      dataschema: 'https://poshub.dev/schemas/x.json',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'pos=1',
    });
    const got: DispatchMessage[] = [];
    const consumer = await t.consume(lane, async (d) => {
      got.push(d.message);
      return { kind: 'dead', reason: 'permanent: 400 invalid SKU \u0007' };
    });
    await t.publish([m]);
    const dead = await t.takeDeadLetters(lane, { waitMs: 10_000 });
    await consumer.stop();
    expect(got).toEqual([m]);
    expect(dead).toEqual([{ message: m, reason: 'permanent: 400 invalid SKU \uFFFD' }]);
  }, 30_000);

  it('rejects publishing on a closed transport and into a lane nobody declared', async () => {
    const t = open();
    await expect(t.publishTo(freshLane('nowhere'), [message(freshType(), 's')])).rejects.toThrow();
    await t.close();
    await expect(t.publish([message(freshType(), 's')])).rejects.toThrow(/closed/);
  });

  it('publishes 1,000 messages to each of two subscribed lanes in one call', async () => {
    const type = freshType();
    const lanes = [freshLane('fan-a'), freshLane('fan-b')];
    const t = open();
    await t.setup({ lanes: lanes.map((id) => ({ id, types: [type] })) });
    const sent = Array.from({ length: 1000 }, (_, i) => message(type, `s-${i % 7}`));
    const started = performance.now();
    await t.publish(sent);
    const ms = performance.now() - started;
    console.info(
      `SQS publish: 1,000 messages to 2 lanes in ${ms.toFixed(0)} ms (${((2000 / ms) * 1000).toFixed(0)} sends/s)`,
    );
    for (const lane of lanes) {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: `${namespace}_${lane}.fifo` }));
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      expect(Number(Attributes?.['ApproximateNumberOfMessages'])).toBe(1000);
    }
  }, 60_000);
});

function freshType(): string {
  return `t${randomUUID().slice(0, 8)}.happened.v1`;
}

function freshLane(what: string): string {
  return `${what}-${randomUUID().slice(0, 8)}`;
}

function message(type: string, store: string, extra: Partial<DispatchMessage> = {}): DispatchMessage {
  return {
    id: randomUUID(),
    type,
    source: '/poshub/sqs-test',
    subject: store,
    data: JSON.stringify({ store, note: 'é € 😀' }),
    ...extra,
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
