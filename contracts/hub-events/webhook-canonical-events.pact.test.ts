import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { webhookConnector } from '@poshub/connector-webhook';
import { type CanonicalEvent, startConnector } from '@poshub/sdk';
import { canonicalFixtures } from '@poshub/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerPact } from '../consumer-pact.ts';
import {
  type StandardWebhooksReceiver,
  startStandardWebhooksReceiver,
} from '../webhook-receiver/standard-webhooks-receiver.ts';
import { eventOfMessage } from './canonical-event-message.ts';
import { cloudEventHeadersLike, transactionDataLike } from './transaction-event-like.ts';

// The webhook connector as a consumer of the hub's canonical events (V4 asynchronous messages): each
// message of the pact is read back as the delivery runtime reads it and handed to the real connector,
// which must deliver it, signed, to a Standard Webhooks receiver on loopback.
const REPO = join(import.meta.dirname, '..', '..');
const { pact } = consumerPact({
  consumer: { name: 'poshub-connector-webhook', packageDir: join(REPO, 'connectors', 'webhook') },
  provider: { name: 'poshub-hub', packageDir: join(REPO, 'core', 'model') },
});

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const [sale, refund] = canonicalFixtures() as [CanonicalEvent, CanonicalEvent];
let receiver: StandardWebhooksReceiver;

beforeAll(async () => {
  receiver = await startStandardWebhooksReceiver({ secret: SECRET });
});
afterAll(() => receiver.close());

/** A message as Pact hands it to the consumer test: the reified example content and metadata. */
interface PactMessage {
  contents: { content: unknown };
  metadata: unknown;
}

async function deliverMessage(message: PactMessage) {
  const event = eventOfMessage({
    contents: message.contents.content,
    metadata: message.metadata as Record<string, string>,
  });
  const started = startConnector(
    webhookConnector,
    { url: receiver.url, secrets: [SECRET] },
    { log: { sink() {} } },
  );
  if (!started.ok) throw new Error(JSON.stringify(started.problems));
  const before = receiver.received.length;
  const result = await started.target.handle(event, {
    idempotencyKey: `pact-${event.id}`,
    attempt: 1,
    signal: new AbortController().signal,
  });
  expect(result, receiver.refusals.join('; ')).toEqual({ ok: true });
  expect(receiver.received).toHaveLength(before + 1);
  expect(JSON.parse(receiver.received.at(-1)!.body)).toEqual(event);
  return event;
}

describe('webhook connector ← poshub hub: canonical events (V4 message pact)', () => {
  it('delivers a sale.completed.v1 event', async () => {
    await pact
      .addAsynchronousInteraction()
      .given('a sale was completed at a till')
      .expectsToReceive('a sale.completed.v1 event', (m) =>
        m.withJSONContent(transactionDataLike(sale)).withMetadata(cloudEventHeadersLike(sale)),
      )
      .executeTest(async (message) => {
        const event = await deliverMessage(message);
        expect(event).toMatchObject({ type: 'sale.completed.v1', data: { kind: 'sale' } });
      });
  });

  it('delivers a return.completed.v1 event', async () => {
    await pact
      .addAsynchronousInteraction()
      .given('a return was completed at a till')
      .expectsToReceive('a return.completed.v1 event', (m) =>
        m.withJSONContent(transactionDataLike(refund)).withMetadata(cloudEventHeadersLike(refund)),
      )
      .executeTest(async (message) => {
        const event = await deliverMessage(message);
        expect(event).toMatchObject({ type: 'return.completed.v1', data: { kind: 'return' } });
      });
  });
});
