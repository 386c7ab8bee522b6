import { join } from 'node:path';
import { MatchersV3 } from '@pact-foundation/pact';
import type { CanonicalEvent } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { consumerPact } from '../consumer-pact.ts';
import { showcaseEvents } from '../showcase-events.ts';
import { eventOfMessage } from './canonical-event-message.ts';
import { cloudEventHeadersLike, type MoreRelied, transactionDataLike } from './transaction-event-like.ts';

const REPO = join(import.meta.dirname, '..', '..');
const { like } = MatchersV3;

/** The retail transaction types every hub-events message pact can hold (their provider states and sources). */
const CASES = {
  'sale.completed.v1': { state: 'a sale was completed at a till', example: 'sale' },
  'return.completed.v1': { state: 'a return was completed at a till', example: 'ret' },
  'order.updated.v1': { state: 'a store reported on an online order', example: 'pickup' },
} as const;

/** What any connector of online orders relies on in `order.updated.v1`: the order, how and where it stands. */
function orderDataLike(event: CanonicalEvent, more: MoreRelied = {}) {
  const data = event.data as { orderId: string; fulfilment: string; status: string };
  return {
    orderId: like(data.orderId),
    fulfilment: like(data.fulfilment),
    status: like(data.status),
    ...more.data,
  };
}

export type HubEventsPactType = keyof typeof CASES;

/**
 * A connector's message pact with the hub (provider `poshub-hub`, V4 asynchronous messages): for each event
 * type, a message as the brokers carry it (CloudEvents binary mode), read back as the delivery runtime
 * reads it, then handed to `consume`, which must show the connector can act on it (typically: its pure
 * mapping yields the vendor call, not a refusal) and throw otherwise. The pact check verifies the file
 * against the messages the hub publishes for recorded vendor documents (verifyCanonicalEventMessages).
 */
export function describeHubEventsPact(options: {
  /** The connector's directory under connectors/, e.g. 'erp-netsuite'. */
  connector: string;
  types: readonly HubEventsPactType[];
  /**
   * What the connector relies on beyond the common fields, as matchers around the example (the message it
   * gets holds only what the pact names, so `consume` proves these fields are enough).
   */
  relies?: (example: CanonicalEvent) => MoreRelied;
  consume(event: CanonicalEvent): void | Promise<void>;
}): void {
  const { pact } = consumerPact({
    consumer: {
      name: `poshub-connector-${options.connector}`,
      packageDir: join(REPO, 'connectors', options.connector),
    },
    provider: { name: 'poshub-hub', packageDir: join(REPO, 'core', 'model') },
  });
  // The examples are the showcase flow's sale and return (the ones the HTTP pacts use too).
  const examples = showcaseEvents();
  describe(`${options.connector} ← poshub hub: canonical events (V4 message pact)`, () => {
    for (const type of options.types) {
      const example = examples[CASES[type].example];
      expect(example.type).toBe(type);
      it(`consumes a ${type} event`, async () => {
        await pact
          .addAsynchronousInteraction()
          .given(CASES[type].state)
          .expectsToReceive(`a ${type} event`, (m) =>
            m
              .withJSONContent(
                type === 'order.updated.v1'
                  ? orderDataLike(example, options.relies?.(example))
                  : transactionDataLike(example, options.relies?.(example)),
              )
              .withMetadata(cloudEventHeadersLike(example)),
          )
          .executeTest(async (message) => {
            const event = eventOfMessage({
              contents: (message.contents as { content: unknown }).content,
              metadata: message.metadata as Record<string, string>,
            });
            expect(event.type).toBe(type);
            await options.consume(event);
          });
      });
    }
  });
}
