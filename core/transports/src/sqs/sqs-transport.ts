import { randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DispatchMessage } from '../dispatch-message.ts';
import {
  assertLaneId,
  type ConsumeOptions,
  type DeadLetter,
  type DeliveryHandler,
  type LaneConsumer,
  lanesFor,
  type Topology,
  type Transport,
} from '../transport.ts';
import { ensureLaneQueues, findLaneQueues, type LaneQueues } from './lane-queues.ts';
import { type OutgoingEntry, sendInBatches } from './send-in-batches.ts';
import { sqsAttributesOf } from './sqs-attributes.ts';
import { SqsLaneConsumer } from './sqs-lane-consumer.ts';
import { assertSqsNamespace, laneQueueNames, sqsToken } from './sqs-names.ts';
import { takeSqsDeadLetters } from './take-sqs-dead-letters.ts';

/** Where the SQS API is and who calls it. */
export interface SqsConnection {
  /** The API endpoint, e.g. ElasticMQ's `http://127.0.0.1:9324`; omit for AWS's endpoint of the region. */
  endpoint?: string;
  region: string;
  /** Static credentials; omit to use the AWS SDK's default chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Options of {@link SqsTransport}. */
export interface SqsTransportOptions extends SqsConnection {
  /**
   * Prefix of every queue name, `<namespace>_<lane>.fifo`, so deployments and test runs share an account
   * without meeting: 1-22 letters, digits and hyphens. Default `poshub`.
   */
  namespace?: string;
  /**
   * How long a received message stays invisible. A heartbeat extends it every third of this for messages
   * still held, so it bounds how long a crashed process's messages (and their stores) wait. Default 30 s.
   */
  visibilityTimeoutSeconds?: number;
  /**
   * Receives after which SQS moves a message to the dead-letter queue itself (RedrivePolicy): the guard
   * against a message that crashes every consumer. Retries count as receives too: see the class notes.
   * Default 1000 (SQS's most), so the delivery runtime's retry policy, not SQS, decides when to give up.
   */
  maxReceiveCount?: number;
  /** Long-poll wait of the consumers (0-20 s): the idle request rate, and how long stop() can take. Default 1. */
  pollWaitSeconds?: number;
  /** Bound of every SQS call (a long poll gets its wait on top), SDK retries included. Default 10,000 ms. */
  requestTimeoutMs?: number;
  /** SendMessageBatch calls per batch at most while SQS refuses entries for its own reasons. Default 3. */
  publishAttempts?: number;
  /**
   * Bytes (bodies and attributes) per SendMessageBatch at most. Default 262,144 (256 KiB), SQS's long-standing
   * batch limit; raise it only where the server is known to take more.
   */
  maxBatchBytes?: number;
}

/**
 * Amazon SQS (or ElasticMQ), one FIFO queue per lane, `<namespace>_<lane>.fifo`, with a dead-letter queue
 * `<namespace>_<lane>_dlq.fifo` that the queue's RedrivePolicy targets after `maxReceiveCount` receives.
 *
 * Native to SQS: order per store (MessageGroupId = subject; a group's messages are received one batch at a
 * time, never in parallel across consumers), deduplication of a re-sent event within five minutes
 * (MessageDeduplicationId = event id), redelivery of what a crashed process held (visibility timeout),
 * the redrive guard. Not native, so done here: fan-out (SQS has no exchange, so `publish` sends each message
 * to every subscribed lane's queue; lanes in parallel, a lane's batches one after another), the reason of a
 * dead letter (a `poshub-dead-reason` attribute on a copy sent to the DLQ before the delete), and the
 * heartbeat that keeps a slow handler's message invisible. Acks are DeleteMessageBatch calls shared by the
 * acks that finish together (ElasticMQ serves a queue's calls one at a time, so calls are what cost).
 *
 * Trade-offs, inherent to SQS FIFO:
 * - `retry` hides the message for the delay (ChangeMessageVisibility, whole seconds, at most 12 h after
 *   the receive), and SQS returns nothing more of its group meanwhile: the store waits in this lane.
 *   Messages of that store already received in the same batch (up to 10) still go to the handler.
 * - Every receive counts toward `maxReceiveCount`, a retry's redelivery included, so a message retried
 *   that often lands in the DLQ without a reason (`takeDeadLetters` reports `maxReceiveCount exceeded`),
 *   behind the ledger's back (it still says retrying, until the reconciler republishes it after its bound).
 *   The default is therefore SQS's most, 1000: the runtime's policy gives up first (12 attempts by
 *   default) and records why. A lower value made a target down for a minute wait minutes more once back
 *   (the showcase test, with 10: the ERP's sale was redriven after 10 fast retries).
 * - A batch entry SQS refuses is sent again before the next batch, so later entries of the same batch and
 *   store can overtake it (only then).
 * - Deduplication lasts five minutes: a later re-send is delivered again (the ledger absorbs it). `publishTo`
 *   uses ids unique to the call, so a replay is never swallowed by the original publish's deduplication;
 *   SDK retries within the call are still deduplicated, but a caller's retry of the call delivers twice.
 * - A dead-lettered or redriven message leaves its group: later messages of the store go on (the DLQ
 *   versus order trade-off).
 */
export class SqsTransport implements Transport {
  readonly kind = 'sqs' as const;
  readonly #client: SQSClient;
  readonly #namespace: string;
  readonly #visibilityTimeoutSeconds: number;
  readonly #maxReceiveCount: number;
  readonly #pollWaitSeconds: number;
  readonly #timeoutMs: number;
  readonly #publishAttempts: number;
  readonly #maxBatchBytes: number;
  readonly #queues = new Map<string, Promise<LaneQueues>>();
  readonly #consumers = new Set<SqsLaneConsumer>();
  #topology: Topology = { lanes: [] };
  #closed = false;

  constructor(options: SqsTransportOptions) {
    this.#namespace = options.namespace ?? 'poshub';
    assertSqsNamespace(this.#namespace);
    this.#visibilityTimeoutSeconds = integerIn(
      'visibilityTimeoutSeconds',
      options.visibilityTimeoutSeconds ?? 30,
      1,
      43_200,
    );
    this.#maxReceiveCount = integerIn('maxReceiveCount', options.maxReceiveCount ?? 1000, 1, 1000);
    this.#pollWaitSeconds = integerIn('pollWaitSeconds', options.pollWaitSeconds ?? 1, 0, 20);
    this.#timeoutMs = integerIn('requestTimeoutMs', options.requestTimeoutMs ?? 10_000, 1, 3_600_000);
    this.#publishAttempts = integerIn('publishAttempts', options.publishAttempts ?? 3, 1, 100);
    this.#maxBatchBytes = integerIn('maxBatchBytes', options.maxBatchBytes ?? 262_144, 1, 1_048_576);
    this.#client = new SQSClient({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Per-call abort signals bound each call; these bound a connection attempt and a silent socket
      // (longer than the longest long poll).
      requestHandler: {
        connectionTimeout: Math.min(this.#timeoutMs, 5000),
        requestTimeout: this.#timeoutMs + 20_000,
      },
    });
  }

  async setup(topology: Topology): Promise<void> {
    this.#assertOpen();
    for (const lane of topology.lanes) assertLaneId(lane.id);
    await Promise.all(
      topology.lanes.map((lane) => {
        const declared = ensureLaneQueues(this.#client, laneQueueNames(this.#namespace, lane.id), {
          visibilityTimeoutSeconds: this.#visibilityTimeoutSeconds,
          maxReceiveCount: this.#maxReceiveCount,
          timeoutMs: this.#timeoutMs,
        });
        this.#remember(lane.id, declared);
        return declared;
      }),
    );
    const known = new Map(this.#topology.lanes.map((l) => [l.id, l]));
    for (const lane of topology.lanes) known.set(lane.id, lane);
    this.#topology = { lanes: [...known.values()] };
  }

  async publish(messages: readonly DispatchMessage[]): Promise<void> {
    this.#assertOpen();
    const perLane = new Map<string, DispatchMessage[]>();
    for (const message of messages) {
      for (const lane of lanesFor(this.#topology, message.type)) {
        const list = perLane.get(lane.id);
        if (list) list.push(message);
        else perLane.set(lane.id, [message]);
      }
    }
    await allOrFirstError(
      [...perLane].map(([lane, list]) => this.#send(lane, list, (message) => sqsToken(message.id))),
    );
  }

  async publishTo(lane: string, messages: readonly DispatchMessage[]): Promise<void> {
    assertLaneId(lane);
    this.#assertOpen();
    if (messages.length === 0) return;
    // Unique to this replay, so the five-minute deduplication of the original publish does not drop it.
    const replay = `replay-${randomUUID()}`;
    await this.#send(lane, messages, (message) => sqsToken(`${replay}:${message.id}`));
  }

  async consume(lane: string, handler: DeliveryHandler, options: ConsumeOptions = {}): Promise<LaneConsumer> {
    assertLaneId(lane);
    this.#assertOpen();
    const { queueUrl, deadLetterUrl } = await this.#queuesOf(lane);
    this.#assertOpen(); // closed during the lookup: a consumer started now would never be stopped
    const consumer = new SqsLaneConsumer({
      client: this.#client,
      queueUrl,
      deadLetterUrl,
      handler,
      maxInFlight: options.maxInFlight ?? 16,
      perStoreOrder: options.perStoreOrder ?? true,
      visibilityTimeoutSeconds: this.#visibilityTimeoutSeconds,
      pollWaitSeconds: this.#pollWaitSeconds,
      timeoutMs: this.#timeoutMs,
    });
    this.#consumers.add(consumer);
    consumer.start();
    return {
      stop: async (graceMs) => {
        await consumer.stop(graceMs);
        this.#consumers.delete(consumer);
      },
    };
  }

  async takeDeadLetters(
    lane: string,
    options: { max?: number; waitMs?: number } = {},
  ): Promise<DeadLetter[]> {
    assertLaneId(lane);
    this.#assertOpen();
    const { deadLetterUrl } = await this.#queuesOf(lane);
    return takeSqsDeadLetters(this.#client, deadLetterUrl, {
      max: options.max ?? 100,
      waitMs: options.waitMs ?? 0,
      timeoutMs: this.#timeoutMs,
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#consumers].map((c) => c.stop(0)));
    this.#consumers.clear();
    this.#client.destroy();
  }

  async #send(
    lane: string,
    messages: readonly DispatchMessage[],
    deduplicationId: (message: DispatchMessage) => string,
  ): Promise<void> {
    const { queueUrl } = await this.#queuesOf(lane);
    const entries: OutgoingEntry[] = messages.map((message) => ({
      MessageBody: message.data,
      MessageGroupId: sqsToken(message.subject),
      MessageDeduplicationId: deduplicationId(message),
      MessageAttributes: sqsAttributesOf(message),
    }));
    await sendInBatches(this.#client, queueUrl, entries, {
      maxBatchBytes: this.#maxBatchBytes,
      attempts: this.#publishAttempts,
      timeoutMs: this.#timeoutMs,
    });
  }

  /** The lane's queue URLs: from setup, or looked up once for a lane another process declared. */
  #queuesOf(lane: string): Promise<LaneQueues> {
    const known = this.#queues.get(lane);
    if (known) return known;
    const found = findLaneQueues(this.#client, laneQueueNames(this.#namespace, lane), this.#timeoutMs);
    this.#remember(lane, found);
    return found;
  }

  #remember(lane: string, queues: Promise<LaneQueues>): void {
    this.#queues.set(lane, queues);
    // A failed lookup is not cached: the queue may exist by the next call.
    queues.catch(() => {
      if (this.#queues.get(lane) === queues) this.#queues.delete(lane);
    });
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('the SQS transport is closed');
  }
}

/** Waits for every promise, so no send is still running when the caller hears of a failure. */
async function allOrFirstError(promises: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

export { deleteSqsNamespace } from './delete-sqs-namespace.ts';
