import { describe, expect, it } from 'vitest';
import { assertLaneId } from '../transport.ts';
import { assertSqsNamespace, laneQueueNames, MAX_SQS_NAMESPACE, sqsToken } from './sqs-names.ts';

describe('SQS names', () => {
  it('fits the longest namespace and lane id into 80 characters, .fifo included', () => {
    const namespace = 'n'.repeat(MAX_SQS_NAMESPACE);
    const lane = `a${'-'.repeat(46)}z`;
    assertLaneId(lane);
    assertSqsNamespace(namespace);
    const names = laneQueueNames(namespace, lane);
    expect(names.deadLetters.length).toBeLessThanOrEqual(80);
    expect(names.queue).toMatch(/^[A-Za-z0-9_-]+\.fifo$/);
    expect(names.deadLetters).toMatch(/^[A-Za-z0-9_-]+\.fifo$/);
  });

  it('keeps lanes and namespaces apart where hyphens alone would not', () => {
    expect(laneQueueNames('ns', 'x-dlq').queue).not.toBe(laneQueueNames('ns', 'x').deadLetters);
    expect(laneQueueNames('a', 'b-c').queue).not.toBe(laneQueueNames('a-b', 'c').queue);
  });

  it('refuses a namespace that is too long or could be confused with a lane', () => {
    expect(() => assertSqsNamespace('n'.repeat(MAX_SQS_NAMESPACE + 1))).toThrow(RangeError);
    expect(() => assertSqsNamespace('a_b')).toThrow(RangeError);
    expect(() => assertSqsNamespace('')).toThrow(RangeError);
  });

  it('passes valid group and deduplication ids through and hashes the others', () => {
    expect(sqsToken('store-1')).toBe('store-1');
    expect(sqsToken('0190f3a4-1c2d-7e8f-9a0b-1c2d3e4f5a6b')).toBe('0190f3a4-1c2d-7e8f-9a0b-1c2d3e4f5a6b');
    for (const odd of ['store 1', 'magasin-é', 'x'.repeat(129), '']) {
      const token = sqsToken(odd);
      expect(token).toMatch(/^[\x21-\x7e]{1,128}$/);
      expect(sqsToken(odd)).toBe(token);
    }
    expect(sqsToken('store 1')).not.toBe(sqsToken('store 2'));
  });
});
