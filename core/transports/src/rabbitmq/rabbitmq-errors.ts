/** Why the broker did not take responsibility for a published message. */
export type PublishFailure =
  /** The broker refused it (basic.nack), e.g. a quorum queue without a leader or over its length limit. */
  | 'nacked'
  /** The broker found no queue for it (mandatory basic.return): a lane's queue or binding is missing. */
  | 'returned'
  /** No confirm arrived in time: the message may or may not be in the queue. */
  | 'timeout'
  /** The channel or connection closed before the confirm arrived: same uncertainty as a timeout. */
  | 'channel-closed';

/**
 * A publish the broker did not confirm. Every kind is worth retrying (the relay does), and every kind except
 * `returned` may still have delivered the message, which is why consumers deduplicate by event id.
 */
export class RabbitmqPublishError extends Error {
  readonly failure: PublishFailure;

  constructor(failure: PublishFailure, detail: string, options?: { cause?: unknown }) {
    super(`RabbitMQ publish ${failure}: ${detail}`, options);
    this.name = 'RabbitmqPublishError';
    this.failure = failure;
  }
}

/** A broker operation (connect, declare, channel open or close, get) that did not answer in time. */
export class RabbitmqTimeoutError extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`RabbitMQ ${what} did not answer within ${timeoutMs} ms`);
    this.name = 'RabbitmqTimeoutError';
  }
}

/** Thrown by every operation of a transport after `close()`. */
export class RabbitmqTransportClosedError extends Error {
  constructor() {
    super('the RabbitMQ transport is closed');
    this.name = 'RabbitmqTransportClosedError';
  }
}
