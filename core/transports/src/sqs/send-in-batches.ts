import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { sqsEntryBytes } from './sqs-attributes.ts';
import { type RefusedEntry, SqsPublishError } from './sqs-publish-error.ts';
import { within } from './within.ts';

/** SQS's limit on entries per batch call. */
const MAX_BATCH_ENTRIES = 10;

/** A message to send; {@link sendInBatches} gives it its batch entry id. */
export type OutgoingEntry = Omit<SendMessageBatchRequestEntry, 'Id'>;

/** How {@link sendInBatches} sends. */
export interface SendInBatchesOptions {
  /** Upper bound of a batch's body and attribute bytes. */
  maxBatchBytes: number;
  /** Calls per batch at most when SQS refuses entries for reasons of its own (not the sender's). */
  attempts: number;
  /** Bound of one SendMessageBatch call, SDK retries included. */
  timeoutMs: number;
}

/**
 * Sends entries in batches of up to 10, one batch after the other, so a group's messages reach the queue
 * in the order given. Resolves once SQS accepted every entry; rejects with {@link SqsPublishError} when an
 * entry is refused for the sender's fault or still refused after `attempts` calls. A refused entry is sent
 * again before the next batch, so only entries of the same batch can overtake it.
 */
export async function sendInBatches(
  client: SQSClient,
  queueUrl: string,
  entries: readonly OutgoingEntry[],
  options: SendInBatchesOptions,
): Promise<void> {
  // The id is the entry's index, so a refusal can name the message it concerns.
  const identified = entries.map((entry, i) => ({ ...entry, Id: `m${i}` }));
  for (const batch of batchesOf(identified, options.maxBatchBytes)) {
    await sendBatch(client, queueUrl, batch, options);
  }
}

async function sendBatch(
  client: SQSClient,
  queueUrl: string,
  batch: readonly SendMessageBatchRequestEntry[],
  options: SendInBatchesOptions,
): Promise<void> {
  let pending = batch;
  for (let attempt = 1; ; attempt++) {
    const result = await client.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [...pending] }),
      within(options.timeoutMs),
    );
    const accepted = new Set((result.Successful ?? []).map((s) => s.Id));
    const failures = new Map((result.Failed ?? []).map((f) => [f.Id, f]));
    const left = pending.filter((entry) => !accepted.has(entry.Id));
    if (left.length === 0) return;
    const refused: RefusedEntry[] = left.map((entry) => {
      const failure = failures.get(entry.Id);
      return {
        index: Number(entry.Id!.slice(1)),
        code: failure?.Code ?? 'Missing',
        message: failure?.Message ?? 'SQS reported neither success nor failure for this entry',
        senderFault: failure?.SenderFault ?? false,
      };
    });
    if (refused.some((r) => r.senderFault) || attempt >= options.attempts) {
      throw new SqsPublishError(queueUrl, refused, attempt);
    }
    pending = left;
    await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** (attempt - 1)));
  }
}

/** Splits entries into batches of at most 10 entries and `maxBytes` (an oversized entry goes alone). */
function batchesOf(
  entries: readonly SendMessageBatchRequestEntry[],
  maxBytes: number,
): SendMessageBatchRequestEntry[][] {
  const batches: SendMessageBatchRequestEntry[][] = [];
  let batch: SendMessageBatchRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = sqsEntryBytes(entry.MessageBody ?? '', entry.MessageAttributes ?? {});
    if (batch.length > 0 && (batch.length === MAX_BATCH_ENTRIES || bytes + size > maxBytes)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
