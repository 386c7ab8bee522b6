import type { Channel, ConsumeMessage } from 'amqplib';
import type { DispatchMessage } from '../dispatch-message.ts';
import { KeyedRunner } from '../keyed-runner.ts';
import { HANDLER_ERROR_RETRY_MS, settleDelivery } from '../settle-delivery.ts';
import type { DeliveryHandler, Disposition } from '../transport.ts';
import { type AmqpConnector, closeChannel } from './amqp-connector.ts';
import {
  type AmqpPublish,
  amqpPublishOf,
  DEAD_REASON_HEADER,
  DELIVERY_COUNT_HEADER,
  foreignDeadLetterOf,
  NOT_BEFORE_HEADER,
  type Received,
  receivedOf,
} from './amqp-message.ts';
import type { ConfirmedPublisher } from './confirmed-publisher.ts';
import type { RabbitmqNames } from './rabbitmq-names.ts';
import { retryTierFor } from './retry-tiers.ts';
import { pause, withTimeout } from './with-timeout.ts';

/** What one lane consumer needs from its transport. */
export interface RabbitmqLaneConsumerOptions {
  lane: string;
  names: RabbitmqNames;
  handler: DeliveryHandler;
  maxInFlight: number;
  /** False: a store's messages may run concurrently (see ConsumeOptions.perStoreOrder). */
  perStoreOrder: boolean;
  retryTiersMs: readonly number[];
  /** The consumer connection: one channel per lane consumer. */
  connector: AmqpConnector;
  /** Retry and dead-letter copies go out here, confirmed, before the original is acked. */
  publisher: ConfirmedPublisher;
  timeoutMs: number;
  onError: (error: Error) => void;
}

/** A channel this consumer subscribed on; `live` turns false when it closes, for whatever reason. */
interface Subscription {
  channel: Channel;
  live: boolean;
}

const FOREIGN_KEY = '\u0000foreign';
const MAX_RESUBSCRIBE_DELAY_MS = 30_000;

/**
 * Consumes one lane's queue with manual acks and prefetch = the runner's capacity (look-ahead), handing deliveries to the handler
 * through a {@link KeyedRunner} (one at a time per store). A delivery is acked only once its disposition is
 * carried out, so anything unsettled when the channel closes goes back to the queue for the next consumer.
 * When the channel is lost (broker restart, queue deleted) it subscribes again with backoff until stopped.
 */
export class RabbitmqLaneConsumer {
  readonly #o: RabbitmqLaneConsumerOptions;
  readonly #queue: string;
  readonly #runner: KeyedRunner;
  #subscription: Subscription | undefined;
  #subscribing: Promise<void> | undefined;
  #resubscribeTimer: NodeJS.Timeout | undefined;
  #resubscribeDelayMs = 250;
  #stopping = false;
  #stopped: Promise<void> | undefined;

  constructor(options: RabbitmqLaneConsumerOptions) {
    this.#o = options;
    this.#queue = options.names.laneQueue(options.lane);
    this.#runner = new KeyedRunner(options.maxInFlight);
  }

  /** Subscribes; rejects when the first subscription fails (e.g. the lane's queue does not exist). */
  start(): Promise<void> {
    return this.#subscribe();
  }

  /**
   * Hands no more deliveries to the handler, waits up to `graceMs` for the calls in progress (settling those
   * that finish), then closes the channel so the broker requeues the rest. The consumer is deliberately not
   * cancelled first: with single active consumer, a cancel activates the next consumer at once while this one
   * still holds unacked messages, which would break per-store order across the handover; a channel close
   * returns them first.
   */
  stop(graceMs = 10_000): Promise<void> {
    this.#stopped ??= this.#stop(graceMs);
    return this.#stopped;
  }

  async #stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#resubscribeTimer);
    await this.#subscribing?.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#runner.idle(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, graceMs));
      }),
    ]);
    clearTimeout(timer);
    const subscription = this.#subscription;
    this.#subscription = undefined;
    if (subscription) {
      subscription.live = false;
      await closeChannel(subscription.channel, this.#o.timeoutMs);
    }
  }

  #subscribe(): Promise<void> {
    const subscribing = this.#openSubscription().finally(() => {
      if (this.#subscribing === subscribing) this.#subscribing = undefined;
    });
    this.#subscribing = subscribing;
    return subscribing;
  }

  async #openSubscription(): Promise<void> {
    const channel = await this.#o.connector.channel();
    const subscription: Subscription = { channel, live: true };
    channel.on('close', () => {
      subscription.live = false;
      if (this.#subscription === subscription) {
        this.#subscription = undefined;
        this.#scheduleResubscribe();
      }
    });
    try {
      await withTimeout(channel.prefetch(this.#runner.capacity), this.#o.timeoutMs, 'basic.qos');
      await withTimeout(
        channel.consume(this.#queue, (raw) => this.#onDelivery(subscription, raw), { noAck: false }),
        this.#o.timeoutMs,
        `basic.consume ${this.#queue}`,
      );
      if (!subscription.live) throw new Error(`channel closed while subscribing to ${this.#queue}`);
    } catch (error) {
      subscription.live = false;
      await closeChannel(channel, this.#o.timeoutMs);
      throw error;
    }
    if (this.#stopping) {
      subscription.live = false;
      await closeChannel(channel, this.#o.timeoutMs);
      return;
    }
    this.#subscription = subscription;
    this.#resubscribeDelayMs = 250;
  }

  #scheduleResubscribe(): void {
    if (this.#stopping) return;
    const delay = this.#resubscribeDelayMs;
    this.#resubscribeDelayMs = Math.min(delay * 2, MAX_RESUBSCRIBE_DELAY_MS);
    clearTimeout(this.#resubscribeTimer);
    this.#resubscribeTimer = setTimeout(() => {
      this.#resubscribeTimer = undefined;
      if (this.#stopping) return;
      this.#subscribe().catch((error: unknown) => {
        this.#o.onError(asError(error));
        this.#scheduleResubscribe();
      });
    }, delay);
  }

  #onDelivery(subscription: Subscription, raw: ConsumeMessage | null): void {
    if (raw === null) {
      // The broker cancelled the consumer (queue deleted): close, and resubscribe from the close handler.
      this.#o.onError(new Error(`RabbitMQ cancelled the consumer of ${this.#queue}`));
      void closeChannel(subscription.channel, this.#o.timeoutMs);
      return;
    }
    const received = receivedOf(raw);
    const key =
      received.kind !== 'message'
        ? FOREIGN_KEY
        : this.#o.perStoreOrder
          ? received.message.subject
          : `${received.message.id}:${raw.fields.deliveryTag}`;
    this.#runner.add(key, () => this.#process(subscription, raw, received));
  }

  async #process(subscription: Subscription, raw: ConsumeMessage, received: Received): Promise<void> {
    // Not handed over after stop or after the channel is gone: the broker gives it to the next consumer.
    if (this.#stopping || !subscription.live) return;
    if (received.kind === 'foreign') {
      const reason = `not a poshub message: ${received.error}`;
      const copy = foreignDeadLetterOf('', this.#o.names.deadLetterQueue(this.#o.lane), raw, reason);
      await this.#settle(subscription, raw, copy);
      return;
    }
    const { message, deliveryCount, notBefore } = received;
    if (notBefore !== undefined && notBefore > Date.now()) {
      // A retry longer than the largest tier, not due yet: park it again without bothering the handler.
      await this.#settle(
        subscription,
        raw,
        this.#retryCopy(message, deliveryCount - 1, notBefore - Date.now()),
      );
      return;
    }
    const disposition = await settleDelivery(this.#o.handler, { message, deliveryCount });
    await this.#settle(subscription, raw, this.#copyFor(message, deliveryCount, disposition));
  }

  #copyFor(
    message: DispatchMessage,
    deliveryCount: number,
    disposition: Disposition,
  ): AmqpPublish | undefined {
    if (disposition.kind === 'ack') return undefined;
    if (disposition.kind === 'retry') return this.#retryCopy(message, deliveryCount, disposition.delayMs);
    return amqpPublishOf('', this.#o.names.deadLetterQueue(this.#o.lane), message, {
      [DEAD_REASON_HEADER]: disposition.reason,
      [DELIVERY_COUNT_HEADER]: deliveryCount,
    });
  }

  /** A copy for the delay queue of the smallest tier >= `delayMs`, or the lane's own queue for no delay. */
  #retryCopy(message: DispatchMessage, deliveriesSoFar: number, delayMs: number): AmqpPublish {
    const { tierMs, chained } = retryTierFor(delayMs, this.#o.retryTiersMs);
    const { names, lane } = this.#o;
    const queue = tierMs === 0 ? names.laneQueue(lane) : names.retryQueue(lane, tierMs);
    const control: Record<string, number> = { [DELIVERY_COUNT_HEADER]: deliveriesSoFar };
    if (chained) control[NOT_BEFORE_HEADER] = Date.now() + Math.ceil(delayMs);
    return amqpPublishOf('', queue, message, control);
  }

  /**
   * Publishes the copy (if any) with a confirm, then acks the original. If the copy is not confirmed the
   * original is rejected back to the queue after a pause: it comes again, rather than being acked and lost,
   * and basic.reject (unlike nack on RabbitMQ 4.3+) counts towards the delivery limit, which ends a loop.
   */
  async #settle(
    subscription: Subscription,
    raw: ConsumeMessage,
    copy: AmqpPublish | undefined,
  ): Promise<void> {
    if (!subscription.live) return; // the channel is gone; the broker already requeued it
    if (copy) {
      try {
        await this.#o.publisher.publish([copy]);
      } catch (error) {
        this.#o.onError(asError(error));
        await pause(HANDLER_ERROR_RETRY_MS);
        if (subscription.live) ignoreClosed(() => subscription.channel.reject(raw, true));
        return;
      }
    }
    if (subscription.live) ignoreClosed(() => subscription.channel.ack(raw));
  }
}

/** amqplib throws synchronously on a channel that closed in between; the broker has requeued the message. */
function ignoreClosed(settle: () => void): void {
  try {
    settle();
  } catch {
    // Nothing to do: an unacked delivery on a closed channel is already back in its queue.
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
