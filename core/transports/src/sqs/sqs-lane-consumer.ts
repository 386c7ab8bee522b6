import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { messageFromHeaders } from '../dispatch-message.ts';
import { KeyedRunner } from '../keyed-runner.ts';
import { settleDelivery } from '../settle-delivery.ts';
import type { DeliveryHandler, Disposition, LaneConsumer } from '../transport.ts';
import { DeleteBatcher } from './delete-batcher.ts';
import { deadLetterAttributes, headersOf } from './sqs-attributes.ts';
import { sqsToken } from './sqs-names.ts';
import { within } from './within.ts';

/** What a {@link SqsLaneConsumer} needs: its queues, its handler and the transport's knobs. */
export interface SqsLaneConsumerOptions {
  client: SQSClient;
  queueUrl: string;
  deadLetterUrl: string;
  handler: DeliveryHandler;
  maxInFlight: number;
  /** False: a store's messages may run concurrently (see ConsumeOptions.perStoreOrder). */
  perStoreOrder: boolean;
  visibilityTimeoutSeconds: number;
  pollWaitSeconds: number;
  timeoutMs: number;
}

/** SQS's longest visibility timeout, counted from the receive: a retry can wait no longer than this. */
const MAX_VISIBILITY_S = 12 * 3600;

/** A received message this consumer is responsible for until it settles it or gives it up. */
interface Held {
  readonly message: Message;
  readonly receiptHandle: string;
  readonly receivedAt: number;
  /** Handed to the handler (or to the dead-letter path). */
  started: boolean;
  /** Given up by stop(): whatever the handler decides, the visibility timeout decides instead. */
  abandoned: boolean;
}

/**
 * One lane's consumer: long-polls the lane's FIFO queue for at most as many messages as the KeyedRunner has
 * free slots, hands them to the handler one store (message group) at a time, keeps the messages it holds
 * invisible with a heartbeat, and carries out each disposition.
 */
export class SqsLaneConsumer implements LaneConsumer {
  readonly #o: SqsLaneConsumerOptions;
  readonly #runner: KeyedRunner;
  readonly #deletes: DeleteBatcher;
  readonly #held = new Set<Held>();
  #running = false;
  #loop: Promise<void> | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #extending: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #stopping: Promise<void> | undefined;

  constructor(options: SqsLaneConsumerOptions) {
    this.#o = options;
    this.#runner = new KeyedRunner(options.maxInFlight);
    this.#deletes = new DeleteBatcher(options.client, options.queueUrl, options.timeoutMs);
  }

  /** Starts polling and the visibility heartbeat. */
  start(): void {
    this.#running = true;
    this.#loop = this.#pollLoop();
    const everyMs = Math.max(100, (this.#o.visibilityTimeoutSeconds * 1000) / 3);
    this.#heartbeat = setInterval(() => {
      this.#extending ??= this.#extendVisibility().finally(() => {
        this.#extending = undefined;
      });
    }, everyMs);
  }

  /** Stops polling, waits up to `graceMs` for the handlers, and leaves the rest to the visibility timeout. */
  stop(graceMs = 10_000): Promise<void> {
    this.#stopping ??= this.#stop(graceMs);
    return this.#stopping;
  }

  async #stop(graceMs: number): Promise<void> {
    this.#running = false;
    this.#wake?.();
    // The poll in progress is not aborted: ElasticMQ 1.7.1 was seen handing the next message to an aborted
    // long poll, which hid it for a visibility timeout. The wait is short instead.
    await this.#loop;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#runner.idle(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
    clearInterval(this.#heartbeat);
    await this.#extending;
    const unstarted: Held[] = [];
    for (const held of this.#held) {
      held.abandoned = true;
      if (!held.started) unstarted.push(held);
    }
    this.#held.clear();
    // Handlers still running are left to the visibility timeout, as after a crash; messages never handed
    // over go back at once. The group of a message still in a handler stays locked, so order holds.
    await this.#release(unstarted.map((h) => h.receiptHandle));
  }

  async #pollLoop(): Promise<void> {
    let failures = 0;
    while (this.#running) {
      const free = this.#runner.freeSlots;
      if (free === 0) {
        await this.#pause(100);
        continue;
      }
      let messages: Message[];
      try {
        messages = await this.#receive(Math.min(10, free));
        failures = 0;
      } catch {
        // The broker is away: try again after a pause, keep what is in flight (the heartbeat keeps it).
        failures++;
        await this.#pause(Math.min(5000, 250 * 2 ** failures));
        continue;
      }
      const receivedAt = Date.now();
      if (!this.#running) {
        await this.#release(messages.map((m) => m.ReceiptHandle!));
        break;
      }
      for (const message of messages) this.#accept(message, receivedAt);
    }
  }

  async #receive(max: number): Promise<Message[]> {
    const { Messages = [] } = await this.#o.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.#o.queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: this.#o.pollWaitSeconds,
        VisibilityTimeout: this.#o.visibilityTimeoutSeconds,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'MessageGroupId'],
        MessageAttributeNames: ['All'],
        // An SDK retry of a receive whose answer was lost gets the same messages instead of hiding them.
        ReceiveRequestAttemptId: randomUUID(),
      }),
      within(this.#o.pollWaitSeconds * 1000 + this.#o.timeoutMs),
    );
    return Messages.filter((m) => m.ReceiptHandle);
  }

  #accept(message: Message, receivedAt: number): void {
    const held: Held = {
      message,
      receiptHandle: message.ReceiptHandle!,
      receivedAt,
      started: false,
      abandoned: false,
    };
    this.#held.add(held);
    const group = this.#o.perStoreOrder
      ? (message.Attributes?.MessageGroupId ?? message.MessageId ?? held.receiptHandle)
      : held.receiptHandle;
    this.#runner.add(group, () => this.#deliver(held));
  }

  async #deliver(held: Held): Promise<void> {
    try {
      if (held.abandoned) return;
      held.started = true;
      const message = messageFromHeaders(headersOf(held.message), held.message.Body ?? '', 'ce_');
      const disposition: Disposition =
        'error' in message
          ? { kind: 'dead', reason: `${message.error} (SQS message ${held.message.MessageId})` }
          : await settleDelivery(this.#o.handler, {
              message,
              deliveryCount: Number(held.message.Attributes?.ApproximateReceiveCount) || 1,
            });
      if (held.abandoned) return;
      this.#held.delete(held);
      await this.#settle(held, disposition);
    } catch {
      // Not settled: the visibility timeout runs out and SQS delivers it again, which the ledger absorbs.
    } finally {
      // After the runner has counted this task as done, so the poll loop sees the free slot.
      setImmediate(() => this.#wake?.());
    }
  }

  async #settle(held: Held, disposition: Disposition): Promise<void> {
    const { client, queueUrl, deadLetterUrl, timeoutMs } = this.#o;
    const { message, receiptHandle } = held;
    if (disposition.kind === 'ack') {
      await this.#deletes.delete(receiptHandle);
    } else if (disposition.kind === 'retry') {
      // A heartbeat already sent could land after this change and undo the delay: let it land first.
      await this.#extending;
      const elapsedS = Math.ceil((Date.now() - held.receivedAt) / 1000);
      const delayS = Math.min(
        Math.ceil(disposition.delayMs / 1000),
        Math.max(0, MAX_VISIBILITY_S - elapsedS - 1),
      );
      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: delayS,
        }),
        within(timeoutMs),
      );
    } else {
      await client.send(
        new SendMessageCommand({
          QueueUrl: deadLetterUrl,
          MessageBody: message.Body,
          MessageGroupId: message.Attributes?.MessageGroupId ?? sqsToken(message.MessageId ?? receiptHandle),
          // Per SQS message: if the delete below fails and the message is dead-lettered again within five
          // minutes, the dead-letter queue still holds it once. A replayed copy is a new SQS message.
          MessageDeduplicationId: sqsToken(`dead-${message.MessageId ?? receiptHandle}`),
          MessageAttributes: deadLetterAttributes(message.MessageAttributes, disposition.reason),
        }),
        within(timeoutMs),
      );
      await this.#deletes.delete(receiptHandle);
    }
  }

  async #extendVisibility(): Promise<void> {
    const live = [...this.#held].filter((h) => !h.abandoned);
    for (let i = 0; i < live.length; i += 10) {
      await this.#o.client
        .send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.#o.queueUrl,
            Entries: live.slice(i, i + 10).map((h, j) => ({
              Id: `v${j}`,
              ReceiptHandle: h.receiptHandle,
              VisibilityTimeout: this.#o.visibilityTimeoutSeconds,
            })),
          }),
          within(this.#o.timeoutMs),
        )
        // A failed entry was settled meanwhile, or the broker is away: the next beat tries again.
        .catch(() => undefined);
    }
  }

  /** Makes messages visible again at once (they were received but will not be handled here). */
  async #release(receiptHandles: string[]): Promise<void> {
    for (let i = 0; i < receiptHandles.length; i += 10) {
      await this.#o.client
        .send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.#o.queueUrl,
            Entries: receiptHandles
              .slice(i, i + 10)
              .map((handle, j) => ({ Id: `r${j}`, ReceiptHandle: handle, VisibilityTimeout: 0 })),
          }),
          within(this.#o.timeoutMs),
        )
        // Not released: the visibility timeout brings them back a little later.
        .catch(() => undefined);
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.#wake === done) this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}
