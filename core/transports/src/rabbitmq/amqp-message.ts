import type { Message, Options } from 'amqplib';
import { cloudEventHeaders, type DispatchMessage, messageFromHeaders } from '../dispatch-message.ts';
import type { DeadLetter } from '../transport.ts';

/** The CloudEvents AMQP binding's header prefix. */
export const CLOUD_EVENTS_PREFIX = 'cloudEvents_';
/** Deliveries of the message to its lane before this copy was made (a retry is a new broker message). */
export const DELIVERY_COUNT_HEADER = 'poshub-delivery-count';
/** Why the consumer dead-lettered the message. */
export const DEAD_REASON_HEADER = 'poshub-dead-reason';
/** Epoch ms before which the message must not reach the handler: set on retries longer than every tier. */
export const NOT_BEFORE_HEADER = 'poshub-not-before';

/** One AMQP publish, ready for the confirmed publisher. */
export interface AmqpPublish {
  exchange: string;
  routingKey: string;
  content: Buffer;
  options: Options.Publish;
}

/**
 * A persistent, mandatory publish of a dispatch message in CloudEvents binary mode: the attributes as
 * `cloudEvents_*` headers, `data` as the UTF-8 body, and the AMQP properties a broker UI or a foreign
 * consumer looks at (message id, type, content type, timestamp). `control` adds poshub's own headers.
 */
export function amqpPublishOf(
  exchange: string,
  routingKey: string,
  message: DispatchMessage,
  control: Record<string, string | number> = {},
): AmqpPublish {
  return {
    exchange,
    routingKey,
    content: Buffer.from(message.data, 'utf8'),
    options: {
      persistent: true,
      mandatory: true,
      messageId: message.id,
      type: message.type,
      contentType: 'application/json',
      timestamp: Math.floor(Date.now() / 1000),
      headers: { ...cloudEventHeaders(message, CLOUD_EVENTS_PREFIX), ...control },
    },
  };
}

/**
 * A copy of a delivery that is not a poshub message, for its lane's dead-letter queue: body and properties
 * as they came, minus the broker's bookkeeping headers, plus the reason.
 */
export function foreignDeadLetterOf(
  exchange: string,
  routingKey: string,
  raw: Message,
  reason: string,
): AmqpPublish {
  const { headers, ...properties } = raw.properties;
  const options: Options.Publish = { persistent: true, mandatory: true, headers: {} };
  for (const [name, value] of Object.entries(properties)) {
    if (value !== undefined && name !== 'deliveryMode' && name !== 'clusterId') {
      (options as Record<string, unknown>)[name] = value;
    }
  }
  options.headers = { ...withoutBrokerHeaders(headers ?? {}), [DEAD_REASON_HEADER]: reason };
  return { exchange, routingKey, content: raw.content, options };
}

/** What a consumer makes of one delivery. */
export type Received =
  | { kind: 'message'; message: DispatchMessage; deliveryCount: number; notBefore: number | undefined }
  | { kind: 'foreign'; error: string };

/**
 * Reads a delivery back. The delivery count is what earlier copies carried plus the quorum queue's own
 * `x-delivery-count` (returns of this copy: nacks, and in 3.x also channel closes) plus this delivery.
 */
export function receivedOf(raw: Message): Received {
  const headers = raw.properties.headers ?? {};
  const parsed = messageFromHeaders(
    stringHeaders(headers),
    raw.content.toString('utf8'),
    CLOUD_EVENTS_PREFIX,
  );
  if ('error' in parsed) return { kind: 'foreign', error: parsed.error };
  const deliveryCount = counter(headers[DELIVERY_COUNT_HEADER]) + counter(headers['x-delivery-count']) + 1;
  const notBefore = counter(headers[NOT_BEFORE_HEADER]);
  return {
    kind: 'message',
    message: parsed,
    deliveryCount,
    notBefore: notBefore > 0 ? notBefore : undefined,
  };
}

/**
 * A message taken from a dead-letter queue. The reason is the consumer's when it dead-lettered the message,
 * otherwise the broker's (the delivery limit). A foreign message is described as well as its properties allow.
 */
export function deadLetterOf(raw: Message): DeadLetter {
  const headers = raw.properties.headers ?? {};
  const data = raw.content.toString('utf8');
  const parsed = messageFromHeaders(stringHeaders(headers), data, CLOUD_EVENTS_PREFIX);
  const reason =
    typeof headers[DEAD_REASON_HEADER] === 'string' ? headers[DEAD_REASON_HEADER] : brokerReason(headers);
  if (!('error' in parsed)) return { message: parsed, reason };
  return {
    message: {
      id: String(raw.properties.messageId ?? `amqp-${raw.fields.deliveryTag}`),
      type: String(raw.properties.type ?? 'unknown'),
      source: `amqp:${raw.fields.exchange}/${raw.fields.routingKey}`,
      subject: '',
      data,
    },
    reason,
  };
}

function brokerReason(headers: Record<string, unknown>): string {
  const why = headers['x-first-death-reason'];
  const queue = headers['x-first-death-queue'];
  if (why === 'delivery_limit') {
    return `delivery limit exceeded in ${String(queue)}: redelivered too often without being settled (x-delivery-limit)`;
  }
  return why === undefined
    ? 'dead-lettered (no reason recorded)'
    : `dead-lettered by the broker from ${String(queue)}: ${String(why)}`;
}

/** Headers the broker adds (x-death, x-delivery-count, ...) and poshub's control headers, left off a copy. */
export function withoutBrokerHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('x-') && !name.startsWith('poshub-')) kept[name] = value;
  }
  return kept;
}

function stringHeaders(headers: Record<string, unknown>): Record<string, string | undefined> {
  const strings: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') strings[name] = value;
    else if (Buffer.isBuffer(value)) strings[name] = value.toString('utf8');
  }
  return strings;
}

function counter(value: unknown): number {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}
