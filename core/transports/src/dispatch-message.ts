import type { CanonicalEvent } from '@poshub/model';

/**
 * One canonical event on its way to connectors: the CloudEvents context attributes, the W3C trace context
 * and the event's `data` as JSON text. Brokers carry the attributes as headers (CloudEvents binary mode) and
 * the data as the body, so a consumer can route and deduplicate without parsing the body.
 */
export interface DispatchMessage {
  /** The canonical event id: the deduplication key at every hop. */
  id: string;
  type: string;
  source: string;
  /** The store the event belongs to; the ordering key (Kafka key, SQS message group). */
  subject: string;
  time?: string;
  dataschema?: string;
  /** W3C Trace Context of the request that brought the event in, when there was one. */
  traceparent?: string;
  tracestate?: string;
  /** JSON text of the event's `data`. */
  data: string;
}

/** The CloudEvents attributes a message carries besides `data`, in the order they are written. */
const ATTRIBUTES = ['id', 'type', 'source', 'subject', 'time', 'dataschema'] as const;

/** Header prefixes of the CloudEvents protocol bindings: `ce_` for Kafka, `cloudEvents_` for AMQP. */
export type CloudEventsPrefix = 'ce_' | 'cloudEvents_';

/** The message for a committed canonical event. */
export function dispatchMessageOf(
  event: CanonicalEvent,
  trace: { traceparent?: string | undefined; tracestate?: string | undefined } = {},
): DispatchMessage {
  const message: DispatchMessage = {
    id: event.id,
    type: event.type,
    source: event.source,
    subject: event.subject,
    data: JSON.stringify(event.data),
  };
  if (event.time !== undefined) message.time = event.time;
  if (event.dataschema !== undefined) message.dataschema = event.dataschema;
  if (trace.traceparent) message.traceparent = trace.traceparent;
  if (trace.tracestate) message.tracestate = trace.tracestate;
  return message;
}

/** The canonical event a message carries (the inverse of {@link dispatchMessageOf}). */
export function canonicalEventOf(message: DispatchMessage): CanonicalEvent {
  const event: Record<string, unknown> = {
    specversion: '1.0',
    id: message.id,
    source: message.source,
    subject: message.subject,
    type: message.type,
    datacontenttype: 'application/json',
  };
  if (message.time !== undefined) event['time'] = message.time;
  if (message.dataschema !== undefined) event['dataschema'] = message.dataschema;
  event['data'] = JSON.parse(message.data);
  return event as unknown as CanonicalEvent;
}

/**
 * Binary-mode headers: every context attribute under the binding's prefix, `content-type` for the data, and
 * the trace context under its own W3C names (the CloudEvents distributed-tracing extension).
 */
export function cloudEventHeaders(
  message: DispatchMessage,
  prefix: CloudEventsPrefix,
): Record<string, string> {
  const headers: Record<string, string> = {
    [`${prefix}specversion`]: '1.0',
    'content-type': 'application/json',
  };
  for (const name of ATTRIBUTES) {
    const value = message[name];
    if (value !== undefined) headers[`${prefix}${name}`] = value;
  }
  if (message.traceparent) headers['traceparent'] = message.traceparent;
  if (message.tracestate) headers['tracestate'] = message.tracestate;
  return headers;
}

/**
 * Reads a binary-mode message back. Returns an error message instead of throwing when a required attribute
 * is missing, so a transport can dead-letter a foreign message instead of crashing its consumer.
 */
export function messageFromHeaders(
  headers: Readonly<Record<string, string | undefined>>,
  data: string,
  prefix: CloudEventsPrefix,
): DispatchMessage | { error: string } {
  if (headers[`${prefix}specversion`] !== '1.0') {
    return {
      error: `not a CloudEvents 1.0 message: ${prefix}specversion is ${headers[`${prefix}specversion`] ?? 'missing'}`,
    };
  }
  const required = ['id', 'type', 'source', 'subject'] as const;
  for (const name of required) {
    if (!headers[`${prefix}${name}`]) return { error: `CloudEvents attribute ${prefix}${name} is missing` };
  }
  const message: DispatchMessage = {
    id: headers[`${prefix}id`]!,
    type: headers[`${prefix}type`]!,
    source: headers[`${prefix}source`]!,
    subject: headers[`${prefix}subject`]!,
    data,
  };
  const time = headers[`${prefix}time`];
  const dataschema = headers[`${prefix}dataschema`];
  if (time) message.time = time;
  if (dataschema) message.dataschema = dataschema;
  if (headers['traceparent']) message.traceparent = headers['traceparent'];
  if (headers['tracestate']) message.tracestate = headers['tracestate'];
  return message;
}
