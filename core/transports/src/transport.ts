import type { DispatchMessage } from './dispatch-message.ts';

/** A connector's lane: its own queue (or consumer group) and the event types it subscribes to. */
export interface LaneSpec {
  /** The connector id, e.g. `erp-netsuite`: lowercase letters, digits and hyphens. */
  id: string;
  /** Canonical event types, e.g. `sale.completed.v1`. */
  types: readonly string[];
}

/** Every lane a hub dispatches to. Each process of a deployment is set up with the same topology. */
export interface Topology {
  lanes: readonly LaneSpec[];
}

/** What the consumer decided about one delivery; the transport carries it out. */
export type Disposition =
  /** Done (applied, skipped or absorbed as a duplicate): never deliver it to this lane again. */
  | { kind: 'ack' }
  /**
   * Deliver it to this lane again in about `delayMs` (never sooner). Other stores' messages keep flowing;
   * whether later messages of the same store wait behind it depends on the transport (see its docs), which
   * is why ordering for connectors that need it is enforced by the delivery ledger, not here.
   */
  | { kind: 'retry'; delayMs: number }
  /** Give up: move it to the lane's dead-letter queue with the reason. */
  | { kind: 'dead'; reason: string };

/** One delivery of a message to a lane. */
export interface Delivery {
  message: DispatchMessage;
  /**
   * How many times the transport has handed this message to this lane, counting this one, where the broker
   * knows (RabbitMQ x-delivery-count, SQS ApproximateReceiveCount, the embedded queue); otherwise 1. The
   * delivery ledger, not this number, is what counts attempts.
   */
  deliveryCount: number;
}

/** Decides what happens to one delivery. A handler that throws is treated as `retry` after a short delay. */
export type DeliveryHandler = (delivery: Delivery) => Promise<Disposition>;

/** Options of {@link Transport.consume}. */
export interface ConsumeOptions {
  /**
   * At most this many deliveries in the handler at once (backpressure). Messages of one store are handed
   * over one at a time and in order, whatever this is. Default 16.
   */
  maxInFlight?: number;
  /**
   * Whether a store's messages must reach the handler one at a time and in order. Default true. A lane
   * that does not need the store's order (its connector is not ordered per store) sets false and gets a
   * store's messages concurrently, so a store-and-forward flush does not go through one at a time. SQS
   * FIFO still holds a store's next messages while earlier ones are in flight (its message groups).
   */
  perStoreOrder?: boolean;
}

/** A running consumer of one lane. */
export interface LaneConsumer {
  /**
   * Stops taking messages and waits up to `graceMs` (default 10,000) for the handler calls in progress.
   * Deliveries still unsettled after that are left to the broker, which redelivers them later, exactly as
   * after a crash.
   */
  stop(graceMs?: number): Promise<void>;
}

/** A message in a lane's dead-letter queue. */
export interface DeadLetter {
  message: DispatchMessage;
  reason: string;
}

/**
 * A broker (or the embedded queue) behind one interface. `publish` resolves only once the broker has taken
 * responsibility for every message (Kafka acks=all, RabbitMQ publisher confirms, SQS 200, a committed row),
 * and rejects otherwise, so the relay marks an outbox row published only when it really is.
 */
export interface Transport {
  readonly kind: 'kafka' | 'rabbitmq' | 'sqs' | 'embedded';
  /** Declares what the lanes need (topics, queues, dead-letter queues). Idempotent. */
  setup(topology: Topology): Promise<void>;
  /** Publishes each message to every lane subscribed to its type. Order per store is kept. */
  publish(messages: readonly DispatchMessage[]): Promise<void>;
  /** Publishes into one lane only, whatever its subscriptions: replay, re-sync, release of parked events. */
  publishTo(lane: string, messages: readonly DispatchMessage[]): Promise<void>;
  /** Starts consuming a lane that {@link setup} declared. */
  consume(lane: string, handler: DeliveryHandler, options?: ConsumeOptions): Promise<LaneConsumer>;
  /** Takes up to `max` messages out of a lane's dead-letter queue, waiting up to `waitMs` for the first. */
  takeDeadLetters(lane: string, options?: { max?: number; waitMs?: number }): Promise<DeadLetter[]>;
  /** Stops every consumer (unsettled deliveries are redelivered later) and closes connections. */
  close(): Promise<void>;
}

/** Thrown by `setup`, `consume` and `publishTo` for a lane id that is not a valid lane name. */
export class InvalidLaneError extends Error {
  constructor(lane: string) {
    super(`invalid lane id ${JSON.stringify(lane)}: use 1-48 lowercase letters, digits and hyphens`);
    this.name = 'InvalidLaneError';
  }
}

const LANE_ID = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

/** Throws {@link InvalidLaneError} unless `lane` can name a queue on every broker. */
export function assertLaneId(lane: string): void {
  if (!LANE_ID.test(lane)) throw new InvalidLaneError(lane);
}

/** The event family of a type, which names its Kafka topic: `sale.completed.v1` -> `sale`. */
export function eventFamily(type: string): string {
  const dot = type.indexOf('.');
  return dot < 0 ? type : type.slice(0, dot);
}

/** The lanes of a topology that subscribe to a type. */
export function lanesFor(topology: Topology, type: string): LaneSpec[] {
  return topology.lanes.filter((lane) => lane.types.includes(type));
}
