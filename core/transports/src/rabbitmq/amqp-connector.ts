import amqp, { type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { RabbitmqTransportClosedError } from './rabbitmq-errors.ts';
import { withTimeout } from './with-timeout.ts';

/** Settings of one AMQP connection. */
export interface AmqpConnectorOptions {
  url: string;
  /** Shown in the management UI, so an operator can tell the hub's connections apart. */
  connectionName: string;
  heartbeatSeconds: number;
  /** Bounds connecting, opening and closing channels, and closing the connection. */
  timeoutMs: number;
  onError: (error: Error) => void;
}

/**
 * One AMQP connection, opened on first use and opened again on the next use after it is lost. amqplib emits
 * `error` on connections and channels, which would crash the process without a listener, so every
 * connection and every channel opened here has one that hands the error to `onError`.
 */
export class AmqpConnector {
  readonly #options: AmqpConnectorOptions;
  #current: Promise<ChannelModel> | undefined;
  #closed = false;

  constructor(options: AmqpConnectorOptions) {
    this.#options = options;
  }

  /** A channel on the connection (opened if needed). */
  async channel(): Promise<Channel> {
    const model = await this.#connection();
    return this.#guard(
      await withTimeout(model.createChannel(), this.#options.timeoutMs, 'channel.open', closeQuietly),
    );
  }

  /** A channel in confirm mode on the connection (opened if needed). */
  async confirmChannel(): Promise<ConfirmChannel> {
    const model = await this.#connection();
    return this.#guard(
      await withTimeout(
        model.createConfirmChannel(),
        this.#options.timeoutMs,
        'confirm.select',
        closeQuietly,
      ),
    );
  }

  /** Closes the connection (its channels with it); a broker that does not answer gets the socket cut. */
  async close(): Promise<void> {
    this.#closed = true;
    const current = this.#current;
    this.#current = undefined;
    const model = await current?.catch(() => undefined);
    if (!model) return;
    try {
      await withTimeout(model.close(), this.#options.timeoutMs, 'connection.close');
    } catch {
      // Already closed, or no answer: drop the socket so nothing lingers.
      (model.connection as unknown as { stream?: { destroy(): void } }).stream?.destroy();
    }
  }

  #connection(): Promise<ChannelModel> {
    if (this.#closed) return Promise.reject(new RabbitmqTransportClosedError());
    if (!this.#current) {
      const opening = this.#open();
      this.#current = opening;
      opening.catch(() => {
        if (this.#current === opening) this.#current = undefined;
      });
    }
    return this.#current;
  }

  async #open(): Promise<ChannelModel> {
    const { url, connectionName, heartbeatSeconds, timeoutMs, onError } = this.#options;
    const target = new URL(url);
    if (!target.searchParams.has('heartbeat')) target.searchParams.set('heartbeat', String(heartbeatSeconds));
    const model = await withTimeout(
      amqp.connect(target.toString(), {
        timeout: timeoutMs,
        clientProperties: { connection_name: connectionName },
      }),
      timeoutMs,
      'connect',
      (late) => void late.close().catch(() => undefined),
    );
    model.on('error', (error: Error) => onError(error));
    model.on('blocked', (reason: string) => onError(new Error(`RabbitMQ blocked the connection: ${reason}`)));
    const current = this.#current;
    model.on('close', (error?: Error) => {
      if (this.#current === current) this.#current = undefined;
      // A forced close (management UI, broker shutdown) comes without an `error` event, only here.
      if (error) onError(error);
    });
    if (this.#closed) {
      await model.close().catch(() => undefined);
      throw new RabbitmqTransportClosedError();
    }
    return model;
  }

  #guard<C extends Channel>(channel: C): C {
    channel.on('error', (error: Error) => this.#options.onError(error));
    return channel;
  }
}

/** Closes a channel within `timeoutMs`, ignoring that it may already be closed. */
export async function closeChannel(channel: Channel, timeoutMs: number): Promise<void> {
  try {
    await withTimeout(channel.close(), timeoutMs, 'channel.close');
  } catch {
    // Closed already (the broker or the connection did it), or no answer: nothing more to do here.
  }
}

function closeQuietly(channel: Channel): void {
  void channel.close().catch(() => undefined);
}
