import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MessageFromProviderWithMetadata, MessageProviderPact } from '@pact-foundation/pact';
import type { CanonicalEvent, EventType } from '@poshub/model';
import { normalizeText } from '@poshub/normalizers';
import { canonicalEventMessage } from './canonical-event-message.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'core', 'normalizers', 'fixtures');

/**
 * Recorded vendor documents, by the till system that sent them: the hub's messages for each are verified
 * against the pact, so every normaliser's output is held to what connectors rely on.
 */
export const MESSAGE_SOURCES: Readonly<Record<string, Partial<Record<EventType, string>>>> = {
  shopify: {
    'sale.completed.v1': 'shopify/rest-order.json',
    'return.completed.v1': 'shopify/rest-refund.json',
  },
  poslog: {
    'sale.completed.v1': 'poslog/sale-v6.xml',
    'return.completed.v1': 'poslog/return-linked-sale.xml',
  },
  square: {
    'order.updated.v1': 'square/OrderUpdatedEvent.example.json',
  },
};

// A request's trace context travels with its events (see core/ingest trace-context.ts).
const TRACE = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };

/** The canonical event the hub commits for a vendor document (the ingest path's normalisation and checks). */
async function committedEvent(file: string, type: EventType): Promise<CanonicalEvent> {
  const { events, problems } = await normalizeText(await readFile(join(FIXTURES, file), 'utf8'));
  if (problems.length > 0) throw new Error(`${file} is refused: ${JSON.stringify(problems)}`);
  const event = events.find((e) => e.type === type);
  if (!event) throw new Error(`${file} yields no ${type}`);
  return event;
}

/**
 * Verifies a connector's message pact (provider `poshub-hub`) against the messages the hub really
 * publishes: a recorded vendor document of each source is normalised as the ingest API does, and the event
 * is wrapped as the outbox relay and the transports wrap it (CloudEvents binary mode, `ce_*` headers).
 * Descriptions map to event types: "a sale.completed.v1 event". Each interaction is verified against every
 * source that records its type (an order update: Square; sales and returns: Shopify and POSLog), and
 * throws when one does not verify or an interaction has no source at all.
 */
export async function verifyCanonicalEventMessages(pactFile: string): Promise<void> {
  const pact = JSON.parse(await readFile(pactFile, 'utf8')) as {
    interactions: Array<{ description: string; providerStates?: Array<{ name: string }> }>;
  };
  const typeOf = (description: string) => /^an? (\S+) event$/.exec(description)?.[1] as EventType | undefined;
  // Every interaction is verified against each source that records its type, and at least one must.
  for (const interaction of pact.interactions) {
    const type = typeOf(interaction.description);
    if (!type || !Object.values(MESSAGE_SOURCES).some((documents) => documents[type])) {
      throw new Error(`no recorded document for "${interaction.description}"`);
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'poshub-message-pact-'));
  try {
    for (const [source, documents] of Object.entries(MESSAGE_SOURCES)) {
      const covered = pact.interactions.filter((i) => documents[typeOf(i.description)!]);
      if (covered.length === 0) continue;
      const messageProviders: Record<string, () => Promise<MessageFromProviderWithMetadata>> = {};
      const stateHandlers: Record<string, () => Promise<void>> = {};
      for (const interaction of covered) {
        const type = typeOf(interaction.description)!;
        const file = documents[type]!;
        messageProviders[interaction.description] = async () => {
          const { contents, metadata } = canonicalEventMessage(await committedEvent(file, type), TRACE);
          return { __pactMessageMetadata: metadata, message: contents };
        };
        // The state is the document itself: normalising it is what "a sale was completed" means here.
        for (const state of interaction.providerStates ?? []) stateHandlers[state.name] = async () => {};
      }
      // The pact as this source can verify it: only the interactions of the types it records.
      const part = join(dir, `${source}.json`);
      await writeFile(part, JSON.stringify({ ...pact, interactions: covered }));
      await new MessageProviderPact({
        provider: 'poshub-hub',
        pactUrls: [part],
        messageProviders,
        stateHandlers,
        logLevel: 'warn',
      }).verify();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
