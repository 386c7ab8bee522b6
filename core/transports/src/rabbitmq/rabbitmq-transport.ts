import type { DispatchMessage } from '../dispatch-message.ts';
import {
  assertLaneId,
  type ConsumeOptions,
  type DeadLetter,
  type DeliveryHandler,
  type LaneConsumer,
  type LaneSpec,
  type Topology,
  type Transport,
} from '../transport.ts';
import { AmqpConnector, closeChannel } from './amqp-connector.ts';
import { amqpPublishOf, deadLetterOf } from './amqp-message.ts';
import { ConfirmedPublisher } from './confirmed-publisher.ts';
import { RabbitmqTransportClosedError } from './rabbitmq-errors.ts';
import { RabbitmqLaneConsumer } from './rabbitmq-lane-consumer.ts';
import { RabbitmqNames } from './rabbitmq-names.ts';
import { assertRetryTiers, DEFAULT_RETRY_TIERS_MS } from './retry-tiers.ts';
import { pause, withTimeout } from './with-timeout.ts';

/** Options of {@link RabbitmqTransport}. */
export interface RabbitmqTransportOptions {
  /** AMQP URL, e.g. `amqp://user:password@host:5672/vhost`. */
  url: string;
  /** Prefix of every exchange and queue name, so deployments and test runs sharing a vhost stay apart. */
  namespace: string;
  /**
   * `x-delivery-limit` of the lane queues: a message returned (nacked, or its channel closed) more often
   * than this is dead-lettered by the broker. RabbitMQ 3.x has no default, so without it a poison message
   * that crashes its consumer would loop forever. Default 20 (RabbitMQ 4's default).
   */
  deliveryLimit?: number;
  /** Delays of the per-lane retry queues in ms, ascending. Every process of a deployment must agree. */
  retryTiersMs?: readonly number[];
  /** Bounds connecting, declaring, opening/closing channels and basic.get. Default 10,000. */
  operationTimeoutMs?: number;
  /** How long `publish` waits for the broker's confirms before rejecting. Default 30,000. */
  confirmTimeoutMs?: number;
  /** AMQP heartbeat, which bounds how long a dead peer goes unnoticed. Default 15. */
  heartbeatSeconds?: number;
  /** How often `takeDeadLetters` looks again while waiting for the first letter. Default 100. */
  deadLetterPollMs?: number;
  /** Hears channel and connection errors, which the transport survives (they would crash an unheard emitter). */
  onError?: (error: Error) => void;
}

const DEFAULT_MAX_IN_FLIGHT = 16;

/**
 * RabbitMQ (3.10+) behind the {@link Transport} interface.
 *
 * Native to the broker:
 * - Routing: a durable topic exchange `<ns>.events`, routing key = event type; each lane has a quorum queue
 *   `<ns>.<lane>` bound once per subscribed type. Quorum queues are replicated (Raft) and are the type
 *   RabbitMQ supports at-least-once dead-lettering and delivery limits on.
 * - Publishing: a confirm channel, persistent messages, CloudEvents binary mode (`cloudEvents_*` headers).
 *   `publish` resolves when every message is confirmed; a nack, a timeout or a closed channel rejects. Messages
 *   are mandatory and a basic.return is a failure (a lane's queue or binding is missing); a message whose type
 *   no lane subscribes to is skipped instead, since it is legitimately unroutable.
 * - Poison messages: an explicit `x-delivery-limit` (3.x has none by default), then at-least-once
 *   dead-lettering (`x-dead-letter-strategy`, which needs `x-overflow: reject-publish`) through the direct
 *   exchange `<ns>.dlx` into `<ns>.<lane>.dlq`.
 * - Crash redelivery: manual acks; unacked deliveries return to the queue when the channel or connection
 *   closes, so `redeliveryWithin` is about the time to notice a dead peer (heartbeat).
 *
 * Per-store order: single active consumer (`x-single-active-consumer`), not the consistent-hash exchange.
 * One consumer of a lane is active across all hub processes and the others wait on standby, taking over
 * when it goes; inside it the `KeyedRunner` hands a store's deliveries over one at a time, with
 * prefetch = maxInFlight. Order thus holds without the broker knowing about stores. The consistent-hash
 * exchange would spread a lane over N queues by store, but needs a plugin (not enabled on a stock broker),
 * N queues per lane each needing its own single consumer anyway, and re-hashes stores when N changes,
 * breaking order exactly during scaling. The price of SAC is that a lane's throughput is one process's
 * (maxInFlight handlers), which suits connectors whose remote APIs are rate-limited well below that.
 * A stopping consumer closes its channel instead of cancelling first, because on RabbitMQ 3.10 a cancel
 * activates the standby at once while the old consumer still holds unacked messages.
 *
 * Retry: the copy is published (confirmed) to a per-lane delay queue `<ns>.<lane>.retry.<ms>` whose
 * queue-level TTL dead-letters it back to the lane's queue, then the original is acked; the tier is the
 * smallest one >= the delay, so a retry never comes early. One queue per tier because a queue expires
 * messages only at its head: per-message TTLs in one queue would let a long delay hold back short ones.
 * A retried message goes to the back of its lane, so other stores and later messages of its store are not
 * held up; ordering for connectors that need it is the delivery ledger's job. Delays beyond the largest
 * tier are chained through it with a due time in a header.
 *
 * Dead letters: the copy goes to the lane's DLQ with a `poshub-dead-reason` header (confirmed), then the
 * original is acked; `takeDeadLetters` reads the DLQ with basic.get.
 *
 * Caveats of RabbitMQ 3.10: a return by channel close counts towards `x-delivery-limit` (4.3 counts only
 * basic.reject, which is why a delivery whose settlement failed is rejected, not nacked), so the limit also
 * bounds how often a message can be caught prefetched by a stopping consumer; and a
 * single node killed within about a second of declaring a quorum queue has lost the queue with its confirmed
 * messages (research §0), so declare lanes ahead of traffic (deploy step), not on the first event.
 *
 * Topology changes are additive: setup declares and binds, it never unbinds a type a lane dropped (other
 * processes of a rolling deploy may still rely on it). Queue arguments cannot change in place: a different
 * `deliveryLimit` for an existing queue fails setup with the broker's PRECONDITION_FAILED (use a policy).
 */
export class RabbitmqTransport implements Transport {
  readonly kind = 'rabbitmq' as const;
  readonly #names: RabbitmqNames;
  readonly #deliveryLimit: number;
  readonly #retryTiersMs: readonly number[];
  readonly #timeoutMs: number;
  readonly #pollMs: number;
  readonly #onError: (error: Error) => void;
  /** Publishing, declaring and basic.get; consumers have their own connection, as RabbitMQ advises. */
  readonly #publishing: AmqpConnector;
  readonly #consuming: AmqpConnector;
  readonly #publisher: ConfirmedPublisher;
  readonly #consumers = new Set<RabbitmqLaneConsumer>();
  readonly #lanes = new Map<string, LaneSpec>();
  #subscribedTypes = new Set<string>();
  #closed = false;

  constructor(options: RabbitmqTransportOptions) {
    this.#names = new RabbitmqNames(options.namespace);
    this.#deliveryLimit = options.deliveryLimit ?? 20;
    if (!Number.isSafeInteger(this.#deliveryLimit) || this.#deliveryLimit < 1) {
      throw new RangeError(`deliveryLimit must be a positive integer, got ${options.deliveryLimit}`);
    }
    this.#retryTiersMs = [...(options.retryTiersMs ?? DEFAULT_RETRY_TIERS_MS)];
    assertRetryTiers(this.#retryTiersMs);
    this.#timeoutMs = options.operationTimeoutMs ?? 10_000;
    this.#pollMs = options.deadLetterPollMs ?? 100;
    this.#onError = options.onError ?? (() => undefined);
    const connection = {
      url: options.url,
      heartbeatSeconds: options.heartbeatSeconds ?? 15,
      timeoutMs: this.#timeoutMs,
      onError: (error: Error) => this.#onError(error),
    };
    this.#publishing = new AmqpConnector({
      ...connection,
      connectionName: `poshub ${options.namespace} publish`,
    });
    this.#consuming = new AmqpConnector({
      ...connection,
      connectionName: `poshub ${options.namespace} consume`,
    });
    this.#publisher = new ConfirmedPublisher(this.#publishing, {
      confirmTimeoutMs: options.confirmTimeoutMs ?? 30_000,
      channelTimeoutMs: this.#timeoutMs,
    });
  }

  async setup(topology: Topology): Promise<void> {
    for (const lane of topology.lanes) {
      assertLaneId(lane.id);
      for (const type of lane.types) assertEventType(type);
    }
    this.#assertOpen();
    const channel = await this.#publishing.channel();
    const step = <T>(what: string, operation: Promise<T>) => withTimeout(operation, this.#timeoutMs, what);
    const names = this.#names;
    try {
      await step('declare events exchange', channel.assertExchange(names.events, 'topic', { durable: true }));
      await step(
        'declare dead-letter exchange',
        channel.assertExchange(names.deadLetterExchange, 'direct', { durable: true }),
      );
      for (const lane of topology.lanes) {
        const queue = names.laneQueue(lane.id);
        const dlq = names.deadLetterQueue(lane.id);
        await step(`declare ${dlq}`, channel.assertQueue(dlq, { durable: true, arguments: QUORUM }));
        await step(`bind ${dlq}`, channel.bindQueue(dlq, names.deadLetterExchange, lane.id));
        await step(
          `declare ${queue}`,
          channel.assertQueue(queue, {
            durable: true,
            arguments: {
              ...QUORUM,
              'x-single-active-consumer': true,
              'x-delivery-limit': this.#deliveryLimit,
              'x-dead-letter-exchange': names.deadLetterExchange,
              'x-dead-letter-routing-key': lane.id,
              ...AT_LEAST_ONCE_DEAD_LETTERING,
            },
          }),
        );
        for (const tierMs of this.#retryTiersMs) {
          const retry = names.retryQueue(lane.id, tierMs);
          // Expired copies go back to the lane's queue through the default exchange, at least once.
          await step(
            `declare ${retry}`,
            channel.assertQueue(retry, {
              durable: true,
              arguments: {
                ...QUORUM,
                'x-message-ttl': tierMs,
                'x-dead-letter-exchange': '',
                'x-dead-letter-routing-key': queue,
                ...AT_LEAST_ONCE_DEAD_LETTERING,
              },
            }),
          );
        }
        for (const type of new Set(lane.types)) {
          await step(`bind ${queue} to ${type}`, channel.bindQueue(queue, names.events, type));
        }
      }
    } finally {
      await closeChannel(channel, this.#timeoutMs);
    }
    for (const lane of topology.lanes) this.#lanes.set(lane.id, lane);
    this.#subscribedTypes = new Set([...this.#lanes.values()].flatMap((lane) => lane.types));
  }

  async publish(messages: readonly DispatchMessage[]): Promise<void> {
    this.#assertOpen();
    const routable = messages.filter((message) => this.#subscribedTypes.has(message.type));
    await this.#publisher.publish(
      routable.map((message) => amqpPublishOf(this.#names.events, message.type, message)),
    );
  }

  async publishTo(lane: string, messages: readonly DispatchMessage[]): Promise<void> {
    const queue = this.#names.laneQueue(lane);
    this.#assertOpen();
    await this.#publisher.publish(messages.map((message) => amqpPublishOf('', queue, message)));
  }

  async consume(lane: string, handler: DeliveryHandler, options: ConsumeOptions = {}): Promise<LaneConsumer> {
    assertLaneId(lane);
    this.#assertOpen();
    const consumer = new RabbitmqLaneConsumer({
      lane,
      names: this.#names,
      handler,
      maxInFlight: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
      perStoreOrder: options.perStoreOrder ?? true,
      retryTiersMs: this.#retryTiersMs,
      connector: this.#consuming,
      publisher: this.#publisher,
      timeoutMs: this.#timeoutMs,
      onError: (error) => this.#onError(error),
    });
    await consumer.start();
    this.#consumers.add(consumer);
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
    const dlq = this.#names.deadLetterQueue(lane);
    this.#assertOpen();
    const max = options.max ?? 100;
    const deadline = Date.now() + (options.waitMs ?? 0);
    const channel = await this.#publishing.channel();
    try {
      for (;;) {
        const taken = [];
        while (taken.length < max) {
          const got = await withTimeout(
            channel.get(dlq, { noAck: false }),
            this.#timeoutMs,
            `basic.get ${dlq}`,
          );
          if (got === false) break;
          taken.push(got);
        }
        if (taken.length > 0) {
          const letters = taken.map(deadLetterOf);
          for (const got of taken) channel.ack(got);
          return letters;
        }
        if (Date.now() >= deadline || this.#closed) return [];
        await pause(Math.min(this.#pollMs, Math.max(1, deadline - Date.now())));
      }
    } finally {
      // Closing waits for the broker's close-ok, which comes after it has processed the acks above.
      await closeChannel(channel, this.#timeoutMs);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#consumers].map((consumer) => consumer.stop(0)));
    this.#consumers.clear();
    await this.#publisher.close();
    await Promise.all([this.#publishing.close(), this.#consuming.close()]);
  }

  #assertOpen(): void {
    if (this.#closed) throw new RabbitmqTransportClosedError();
  }
}

const QUORUM = { 'x-queue-type': 'quorum' } as const;

/** At-least-once dead-lettering (RabbitMQ 3.10+) only works with reject-publish overflow. */
const AT_LEAST_ONCE_DEAD_LETTERING = {
  'x-dead-letter-strategy': 'at-least-once',
  'x-overflow': 'reject-publish',
} as const;

/** A type is used verbatim as a topic binding key, so it must not contain the wildcards `*` and `#`. */
function assertEventType(type: string): void {
  if (type.length === 0 || Buffer.byteLength(type) > 255 || /[*#]/.test(type)) {
    throw new RangeError(
      `invalid event type ${JSON.stringify(type)}: 1-255 bytes, no topic wildcards (* or #)`,
    );
  }
}
