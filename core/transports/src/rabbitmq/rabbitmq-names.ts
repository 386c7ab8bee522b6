import { assertLaneId } from '../transport.ts';

const NAMESPACE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$/;

/** Throws unless `namespace` can prefix every exchange and queue name (1-64 letters, digits, `.`, `_`, `-`). */
export function assertNamespace(namespace: string): void {
  if (!NAMESPACE.test(namespace)) {
    throw new RangeError(
      `invalid RabbitMQ namespace ${JSON.stringify(namespace)}: use 1-64 letters, digits, dots, underscores and hyphens`,
    );
  }
}

/** The exchanges and queues of one namespace, named in one place so setup, consumers and cleanup agree. */
export class RabbitmqNames {
  /** The durable topic exchange every event is published to, routed by event type. */
  readonly events: string;
  /** The direct exchange the broker dead-letters to (delivery limit exceeded), routed by lane id. */
  readonly deadLetterExchange: string;
  readonly #namespace: string;

  constructor(namespace: string) {
    assertNamespace(namespace);
    this.#namespace = namespace;
    this.events = `${namespace}.events`;
    this.deadLetterExchange = `${namespace}.dlx`;
  }

  /** The lane's quorum queue. */
  laneQueue(lane: string): string {
    assertLaneId(lane);
    return `${this.#namespace}.${lane}`;
  }

  /** The lane's dead-letter queue. */
  deadLetterQueue(lane: string): string {
    return `${this.laneQueue(lane)}.dlq`;
  }

  /** The lane's delay queue for one retry tier. */
  retryQueue(lane: string, tierMs: number): string {
    return `${this.laneQueue(lane)}.retry.${tierMs}`;
  }
}
