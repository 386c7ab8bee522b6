import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { type DispatchMessage, messageFromHeaders } from '../dispatch-message.ts';
import {
  DEAD_REASON_ATTRIBUTE,
  deadLetterAttributes,
  deadReasonOf,
  headersOf,
  MAX_SQS_ATTRIBUTES,
  sqsAttributesOf,
} from './sqs-attributes.ts';

const FULL: DispatchMessage = {
  id: 'e-1',
  type: 'sale.completed.v1',
  source: '/poshub/test',
  subject: 'store-1',
  time: '2026-11-23T10:15:00.000+01:00',
  dataschema: 'https://poshub.dev/schemas/sale.json',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  tracestate: 'pos=1',
  data: '{"total":"12.50"}',
};

function received(message: DispatchMessage): Message {
  return { MessageId: 'm-1', Body: message.data, MessageAttributes: sqsAttributesOf(message) };
}

describe('SQS message attributes', () => {
  it('carries a message with every optional attribute within SQS limit of 10, and reads it back', () => {
    const attributes = sqsAttributesOf(FULL);
    expect(Object.keys(attributes)).toHaveLength(MAX_SQS_ATTRIBUTES);
    expect(messageFromHeaders(headersOf(received(FULL)), FULL.data, 'ce_')).toEqual(FULL);
  });

  it('makes room for the dead reason by dropping content-type, so the letter still reads back', () => {
    const attributes = deadLetterAttributes(received(FULL).MessageAttributes, 'permanent: 400');
    expect(Object.keys(attributes)).toHaveLength(MAX_SQS_ATTRIBUTES);
    expect(attributes['content-type']).toBeUndefined();
    const letter: Message = { Body: FULL.data, MessageAttributes: attributes };
    expect(messageFromHeaders(headersOf(letter), FULL.data, 'ce_')).toEqual(FULL);
    expect(deadReasonOf(letter)).toBe('permanent: 400');
  });

  it('keeps content-type when there is room, and never carries two reasons', () => {
    const small: DispatchMessage = { id: 'e', type: 't.v1', source: '/s', subject: 's', data: '{}' };
    const once = deadLetterAttributes(received(small).MessageAttributes, 'first');
    const twice = deadLetterAttributes(once, 'second');
    expect(twice['content-type']?.StringValue).toBe('application/json');
    expect(twice[DEAD_REASON_ATTRIBUTE]?.StringValue).toBe('second');
    expect(Object.keys(twice)).toHaveLength(Object.keys(once).length);
  });

  it('turns a reason SQS would refuse (empty, control characters, huge) into one it accepts', () => {
    const value = (reason: string) => deadLetterAttributes({}, reason)[DEAD_REASON_ATTRIBUTE]!.StringValue!;
    expect(value('')).not.toBe('');
    expect(value('bad\u0000byte \ud800')).toBe('bad\uFFFDbyte \uFFFD');
    expect(value('x'.repeat(100_000)).length).toBeLessThanOrEqual(4096);
  });

  it('reports a message SQS redrove itself (no reason attribute) as maxReceiveCount exceeded', () => {
    expect(deadReasonOf(received(FULL))).toBe('maxReceiveCount exceeded');
  });
});
