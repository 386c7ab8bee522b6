import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { cloudEventHeaders, type DispatchMessage } from '../dispatch-message.ts';

/** The message attribute that carries why a message was dead-lettered. */
export const DEAD_REASON_ATTRIBUTE = 'poshub-dead-reason';

/** SQS refuses a message with more attributes than this. */
export const MAX_SQS_ATTRIBUTES = 10;

/** Longest dead-letter reason kept (in UTF-16 units): attributes count against the message size limit. */
const MAX_REASON_LENGTH = 4096;

// Characters SQS accepts in bodies and attribute values (XML 1.0 characters); lone surrogates are not.
const INVALID_CHARACTERS = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * The CloudEvents binary-mode headers (`ce_` prefix) as String message attributes: at most 10 (specversion,
 * content-type, six context attributes, traceparent, tracestate), which is SQS's limit exactly.
 */
export function sqsAttributesOf(message: DispatchMessage): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(cloudEventHeaders(message, 'ce_'))) {
    // SQS refuses an empty value; messageFromHeaders reads an absent one the same way.
    if (value !== '') attributes[name] = { DataType: 'String', StringValue: value };
  }
  return attributes;
}

/** The String attributes of a received message, as headers for `messageFromHeaders`. */
export function headersOf(message: Message): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    if (value.StringValue !== undefined && value.DataType?.startsWith('String'))
      headers[name] = value.StringValue;
  }
  return headers;
}

/**
 * The attributes of a message's dead-letter copy: its own plus the reason. When that would make 11,
 * `content-type` goes first (the body is JSON by contract), so a dispatch message keeps every CloudEvents
 * attribute; a foreign message with 10 attributes loses its last one.
 */
export function deadLetterAttributes(
  original: Message['MessageAttributes'],
  reason: string,
): Record<string, MessageAttributeValue> {
  const kept = Object.entries(original ?? {})
    .filter(([name]) => name !== DEAD_REASON_ATTRIBUTE)
    .map(([name, value]) => [name, copyOf(value)] as const);
  while (kept.length > MAX_SQS_ATTRIBUTES - 1) {
    const contentType = kept.findIndex(([name]) => name === 'content-type');
    kept.splice(contentType >= 0 ? contentType : kept.length - 1, 1);
  }
  return {
    ...Object.fromEntries(kept),
    [DEAD_REASON_ATTRIBUTE]: { DataType: 'String', StringValue: sqsSafeText(reason) },
  };
}

/** The dead-letter reason a DLQ message carries; a message SQS redrove itself has none. */
export function deadReasonOf(message: Message): string {
  return message.MessageAttributes?.[DEAD_REASON_ATTRIBUTE]?.StringValue ?? 'maxReceiveCount exceeded';
}

/** Bytes a batch entry counts against SQS's size limits: body plus attribute names, types and values. */
export function sqsEntryBytes(body: string, attributes: Record<string, MessageAttributeValue>): number {
  let bytes = Buffer.byteLength(body);
  for (const [name, value] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '');
    bytes += value.StringValue !== undefined ? Buffer.byteLength(value.StringValue) : 0;
    bytes += value.BinaryValue?.byteLength ?? 0;
  }
  return bytes;
}

/** A reason SQS accepts as an attribute value: non-empty, bounded, without characters it refuses. */
function sqsSafeText(text: string): string {
  const safe = text.slice(0, MAX_REASON_LENGTH).replace(INVALID_CHARACTERS, '\uFFFD');
  return safe === '' ? '(no reason given)' : safe;
}

function copyOf(value: MessageAttributeValue): MessageAttributeValue {
  const copy: MessageAttributeValue = { DataType: value.DataType };
  if (value.StringValue !== undefined) copy.StringValue = value.StringValue;
  if (value.BinaryValue !== undefined) copy.BinaryValue = value.BinaryValue;
  return copy;
}
