import type { CanonicalEvent } from '@poshub/model';
import {
  canonicalEventOf,
  cloudEventHeaders,
  type DispatchMessage,
  dispatchMessageOf,
  messageFromHeaders,
} from '@poshub/transports';

/**
 * A canonical event as the hub publishes it to connectors, in Pact's terms: the CloudEvents binary-mode
 * message a Kafka record carries (`ce_*` headers as metadata, the event's `data` as content).
 */
export interface CanonicalEventMessage {
  contents: unknown;
  metadata: Record<string, string>;
}

/** The message the hub publishes for a committed event (the outbox relay's `dispatchMessageOf`). */
export function canonicalEventMessage(
  event: CanonicalEvent,
  trace: { traceparent?: string; tracestate?: string } = {},
): CanonicalEventMessage {
  const message = dispatchMessageOf(event, trace);
  return { contents: JSON.parse(message.data), metadata: cloudEventHeaders(message, 'ce_') };
}

/**
 * The event a connector's `handle` gets for a message: read back as the transports and the delivery
 * runtime read it (`messageFromHeaders`, `canonicalEventOf`). Throws on a message no transport would take.
 */
export function eventOfMessage(message: CanonicalEventMessage): CanonicalEvent {
  const read: DispatchMessage | { error: string } = messageFromHeaders(
    message.metadata,
    JSON.stringify(message.contents),
    'ce_',
  );
  if ('error' in read) throw new Error(`the transports would refuse this message: ${read.error}`);
  return canonicalEventOf(read);
}
