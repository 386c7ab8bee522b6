import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type DispatchMessage, messageFromHeaders } from '../dispatch-message.ts';
import type { DeadLetter } from '../transport.ts';
import { deadReasonOf, headersOf } from './sqs-attributes.ts';
import { within } from './within.ts';

/** How {@link takeSqsDeadLetters} reads a dead-letter queue. */
export interface TakeSqsDeadLettersOptions {
  max: number;
  waitMs: number;
  timeoutMs: number;
}

/** How long a taken letter stays invisible before it is deleted: a failed delete leaves it there for later. */
const TAKE_VISIBILITY_S = 60;

/**
 * Longest single long poll. ElasticMQ 1.7.1 does not wake a waiting receive when it redrives a message into
 * the queue (observed: a 12 s poll returned empty with the letter there), so long waits are cut into these.
 */
const MAX_POLL_S = 2;

/**
 * Receives up to `max` messages from a dead-letter queue, long-polling up to `waitMs` for the first, and
 * deletes what it returns. A letter is returned only once its delete succeeded; if a delete call fails after
 * letters were deleted, those are returned (not lost) and the rest reappear after a minute.
 */
export async function takeSqsDeadLetters(
  client: SQSClient,
  deadLetterUrl: string,
  options: TakeSqsDeadLettersOptions,
): Promise<DeadLetter[]> {
  const deadline = Date.now() + options.waitMs;
  const letters: DeadLetter[] = [];
  while (letters.length < options.max) {
    const remaining = deadline - Date.now();
    // Long-poll only for the first letter; after that, take what is there and return.
    const waitSeconds =
      letters.length === 0 ? Math.min(MAX_POLL_S, Math.max(0, Math.floor(remaining / 1000))) : 0;
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: deadLetterUrl,
        MaxNumberOfMessages: Math.min(10, options.max - letters.length),
        WaitTimeSeconds: waitSeconds,
        VisibilityTimeout: TAKE_VISIBILITY_S,
        MessageSystemAttributeNames: ['MessageGroupId'],
        MessageAttributeNames: ['All'],
      }),
      within(waitSeconds * 1000 + options.timeoutMs),
    );
    if (Messages.length === 0) {
      if (letters.length > 0 || Date.now() >= deadline) break;
      // Less than a second left: SQS waits in whole seconds, so poll briefly instead.
      if (waitSeconds === 0) await new Promise((r) => setTimeout(r, Math.min(100, Math.max(1, remaining))));
      continue;
    }
    let deleted: Set<string | undefined>;
    try {
      const result = await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: deadLetterUrl,
          Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
        }),
        within(options.timeoutMs),
      );
      deleted = new Set((result.Successful ?? []).map((s) => s.Id));
    } catch (error) {
      if (letters.length > 0) break;
      throw error;
    }
    Messages.forEach((m, i) => {
      if (deleted.has(`d${i}`))
        letters.push({ message: dispatchMessageOfLetter(m), reason: deadReasonOf(m) });
    });
  }
  return letters;
}

/**
 * The dispatch message a letter carries. A foreign message (dead-lettered because it is not a CloudEvent)
 * still comes back, with what it has: its body, and SQS's message id and group where attributes are missing.
 */
function dispatchMessageOfLetter(letter: Message): DispatchMessage {
  const headers = headersOf(letter);
  const body = letter.Body ?? '';
  const message = messageFromHeaders(headers, body, 'ce_');
  if (!('error' in message)) return message;
  return {
    id: headers['ce_id'] || letter.MessageId || '',
    type: headers['ce_type'] || '',
    source: headers['ce_source'] || 'sqs',
    subject: headers['ce_subject'] || letter.Attributes?.MessageGroupId || '',
    data: body,
  };
}
