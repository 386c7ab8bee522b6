import { createHash } from 'node:crypto';

/** SQS's limit on a queue name, `.fifo` included. */
const MAX_QUEUE_NAME = 80;
/** The longest lane id `assertLaneId` accepts. */
const MAX_LANE_ID = 48;
const QUEUE_SUFFIX = '.fifo';
const DEAD_LETTER_SUFFIX = '_dlq.fifo';

/** The longest namespace that leaves room for every valid lane id and the dead-letter suffix. */
export const MAX_SQS_NAMESPACE: number = MAX_QUEUE_NAME - MAX_LANE_ID - 1 - DEAD_LETTER_SUFFIX.length;

// No underscore: it separates the namespace from the lane, so names of two namespaces can never meet.
const NAMESPACE = /^[A-Za-z0-9-]+$/;

/** The FIFO queue of a lane and its dead-letter queue. */
export interface LaneQueueNames {
  queue: string;
  deadLetters: string;
}

/** Throws a RangeError unless `namespace` can prefix the queue names of every valid lane. */
export function assertSqsNamespace(namespace: string): void {
  if (!NAMESPACE.test(namespace) || namespace.length > MAX_SQS_NAMESPACE) {
    throw new RangeError(
      `invalid SQS namespace ${JSON.stringify(namespace)}: use 1-${MAX_SQS_NAMESPACE} letters, digits and hyphens`,
    );
  }
}

/**
 * `<namespace>_<lane>.fifo` and `<namespace>_<lane>_dlq.fifo`. Lane ids and namespaces have no underscore,
 * so the names are unambiguous: with hyphens, lane `x-dlq`'s queue would be lane `x`'s dead-letter queue,
 * and namespace `a` lane `b-c` would share a queue with namespace `a-b` lane `c`.
 */
export function laneQueueNames(namespace: string, lane: string): LaneQueueNames {
  return {
    queue: `${namespace}_${lane}${QUEUE_SUFFIX}`,
    deadLetters: `${namespace}_${lane}${DEAD_LETTER_SUFFIX}`,
  };
}

/** The prefix every queue of a namespace starts with, and no queue of another namespace does. */
export function namespaceQueuePrefix(namespace: string): string {
  return `${namespace}_`;
}

// MessageGroupId and MessageDeduplicationId: 1-128 characters, ASCII letters, digits and punctuation.
const TOKEN = /^[\x21-\x7e]{1,128}$/;

/**
 * `value` as a MessageGroupId or MessageDeduplicationId: itself when SQS accepts it, otherwise its SHA-256,
 * which is as unique and as stable (the same store always lands in the same group).
 */
export function sqsToken(value: string): string {
  return TOKEN.test(value) ? value : `sha256-${createHash('sha256').update(value).digest('hex')}`;
}
