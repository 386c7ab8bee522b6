import type { ConfirmChannel, Message } from 'amqplib';
import { type AmqpConnector, closeChannel } from './amqp-connector.ts';
import type { AmqpPublish } from './amqp-message.ts';
import { RabbitmqPublishError } from './rabbitmq-errors.ts';
import { withTimeout } from './with-timeout.ts';

/**
 * Publishes on one shared confirm channel and resolves only when the broker has confirmed every message.
 * Messages are mandatory: RabbitMQ acks an unroutable message too, after sending it back (basic.return), so
 * a return seen before the ack turns that ack into a failure.
 */
export class ConfirmedPublisher {
  readonly #connector: AmqpConnector;
  readonly #confirmTimeoutMs: number;
  readonly #channelTimeoutMs: number;
  #current: Promise<PublishingChannel> | undefined;

  constructor(connector: AmqpConnector, options: { confirmTimeoutMs: number; channelTimeoutMs: number }) {
    this.#connector = connector;
    this.#confirmTimeoutMs = options.confirmTimeoutMs;
    this.#channelTimeoutMs = options.channelTimeoutMs;
  }

  /** Publishes in order and waits for every confirm; rejects with {@link RabbitmqPublishError} on the first failure. */
  async publish(items: readonly AmqpPublish[]): Promise<void> {
    if (items.length === 0) return;
    const deadline = Date.now() + this.#confirmTimeoutMs;
    const publishing = await this.#channel();
    const confirms: Array<Promise<void>> = [];
    for (const item of items) {
      const sent = publishing.send(item);
      confirms.push(sent.confirmed);
      if (sent.failed) break;
      // amqplib buffers without limit; waiting for `drain` keeps a large batch from piling up in memory.
      if (!sent.flowing) await publishing.drained(Math.max(1, deadline - Date.now()));
    }
    const outcomes = await withTimeout(
      Promise.allSettled(confirms),
      Math.max(1, deadline - Date.now()),
      'publisher confirm',
    ).catch(() => {
      throw new RabbitmqPublishError(
        'timeout',
        `${items.length} message(s) not all confirmed within ${this.#confirmTimeoutMs} ms`,
      );
    });
    const failed = outcomes.find((o) => o.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  /** Closes the confirm channel; confirms still awaited fail as `channel-closed`. */
  async close(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    const publishing = await current?.catch(() => undefined);
    if (publishing) await closeChannel(publishing.channel, this.#channelTimeoutMs);
  }

  #channel(): Promise<PublishingChannel> {
    if (!this.#current) {
      const opening = this.#connector.confirmChannel().then((channel) => {
        const publishing = new PublishingChannel(channel);
        channel.on('close', () => {
          if (this.#current === opening) this.#current = undefined;
        });
        return publishing;
      });
      this.#current = opening;
      opening.catch(() => {
        if (this.#current === opening) this.#current = undefined;
      });
    }
    return this.#current;
  }
}

/** A confirm channel and the returns it has seen but not yet matched with their acks. */
class PublishingChannel {
  readonly channel: ConfirmChannel;
  /** Reply texts of returned messages by exchange, routing key and message id, oldest first. */
  readonly #returned = new Map<string, string[]>();
  #open = true;

  constructor(channel: ConfirmChannel) {
    this.channel = channel;
    channel.on('return', (message: Message) => {
      const key = keyOf(message.fields.exchange, message.fields.routingKey, message.properties.messageId);
      const texts = this.#returned.get(key) ?? [];
      const fields = message.fields as typeof message.fields & { replyCode?: number; replyText?: string };
      texts.push(`${fields.replyCode ?? ''} ${fields.replyText ?? 'returned'}`.trim());
      this.#returned.set(key, texts);
    });
    channel.on('close', () => {
      this.#open = false;
    });
  }

  /** Publishes one message; `confirmed` settles with the broker's verdict. */
  send(item: AmqpPublish): { confirmed: Promise<void>; flowing: boolean; failed: boolean } {
    let flowing = true;
    let failed = false;
    const confirmed = new Promise<void>((resolve, reject) => {
      const where = `${item.exchange || '(default exchange)'} / ${item.routingKey}`;
      try {
        flowing = this.channel.publish(
          item.exchange,
          item.routingKey,
          item.content,
          item.options,
          (error) => {
            if (error) {
              const closed = !this.#open || /closed/i.test(String((error as Error).message));
              reject(
                new RabbitmqPublishError(closed ? 'channel-closed' : 'nacked', `${where}: ${String(error)}`, {
                  cause: error,
                }),
              );
              return;
            }
            const returned = this.#takeReturn(item);
            if (returned === undefined) resolve();
            else {
              reject(
                new RabbitmqPublishError('returned', `${where}: ${returned} (no queue or binding for it)`),
              );
            }
          },
        );
      } catch (error) {
        failed = true;
        reject(new RabbitmqPublishError('channel-closed', `${where}: ${String(error)}`, { cause: error }));
      }
    });
    return { confirmed, flowing, failed };
  }

  /** Resolves on `drain`, or when the channel closes (the confirms then fail on their own), or after `ms`. */
  drained(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.channel.off('drain', done);
        this.channel.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.channel.on('drain', done);
      this.channel.on('close', done);
    });
  }

  #takeReturn(item: AmqpPublish): string | undefined {
    const key = keyOf(item.exchange, item.routingKey, item.options.messageId);
    const texts = this.#returned.get(key);
    if (!texts) return undefined;
    const text = texts.shift();
    if (texts.length === 0) this.#returned.delete(key);
    return text;
  }
}

function keyOf(exchange: string, routingKey: string, messageId: unknown): string {
  return `${exchange}\u0000${routingKey}\u0000${String(messageId ?? '')}`;
}
