import { DeleteMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { within } from './within.ts';

interface PendingDelete {
  receiptHandle: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Deletes messages in DeleteMessageBatch calls of up to 10: the deletes requested in the same turn of the
 * event loop (acks of several stores finishing together) share a call. Each delete still resolves only
 * once SQS confirmed it, so an ack is settled when its promise is.
 */
export class DeleteBatcher {
  readonly #client: SQSClient;
  readonly #queueUrl: string;
  readonly #timeoutMs: number;
  #pending: PendingDelete[] = [];
  #scheduled = false;

  constructor(client: SQSClient, queueUrl: string, timeoutMs: number) {
    this.#client = client;
    this.#queueUrl = queueUrl;
    this.#timeoutMs = timeoutMs;
  }

  /** Deletes one received message; rejects when SQS refused it or the call failed. */
  delete(receiptHandle: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ receiptHandle, resolve, reject });
      if (this.#pending.length >= 10) this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => {
          this.#scheduled = false;
          this.#flush();
        });
      }
    });
  }

  #flush(): void {
    while (this.#pending.length > 0) void this.#send(this.#pending.splice(0, 10));
  }

  async #send(batch: PendingDelete[]): Promise<void> {
    try {
      const result = await this.#client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.#queueUrl,
          Entries: batch.map((p, i) => ({ Id: `d${i}`, ReceiptHandle: p.receiptHandle })),
        }),
        within(this.#timeoutMs),
      );
      const failed = new Map((result.Failed ?? []).map((f) => [f.Id, f]));
      batch.forEach((p, i) => {
        const failure = failed.get(`d${i}`);
        if (failure)
          p.reject(new Error(`SQS did not delete the message: ${failure.Code}: ${failure.Message}`));
        else p.resolve();
      });
    } catch (error) {
      for (const p of batch) p.reject(error as Error);
    }
  }
}
