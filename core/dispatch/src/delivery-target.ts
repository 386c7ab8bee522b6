import type { CanonicalEvent } from '@poshub/model';
import type { BreakerPolicy } from './circuit-breaker.ts';
import type { RetryPolicy } from './retry-policy.ts';

/** A failure reported by a connector: data, not an exception. */
export interface DeliveryError {
  /** Whether trying again later may succeed (timeouts, 5xx, 429), or never will (4xx, mapping errors). */
  retryable: boolean;
  /** A short stable class, e.g. `http_503`, `timeout`, `invalid_sku`: what ops filter the DLQ by. */
  type: string;
  message: string;
  /** The target asked to wait at least this long (Retry-After). */
  retryAfterMs?: number;
  /** The receiver asked to stop sending this event (e.g. Standard Webhooks' abort): dead-letter now. */
  abort?: boolean;
}

/** What a connector's handler returns. */
export type HandleResult = { ok: true } | { ok: false; error: DeliveryError };

/** What the runtime hands a connector with each event. */
export interface HandleContext {
  /** Stable per connector and event: pass it to the target so a repeated call has no second effect. */
  idempotencyKey: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the attempt times out or the runtime stops. */
  signal: AbortSignal;
  /** W3C trace context of the request that brought the event in, to pass on to the target. */
  trace?: { traceparent: string; tracestate?: string };
}

/** Which events a connector gets, beyond their types. */
export interface SubscriptionFilter {
  stores?: readonly string[];
  /** Regions of stores, looked up with the runtime's `regionOf`. */
  regions?: readonly string[];
  /** Sales channels of transactions (store, web, mobile, marketplace, other). */
  channels?: readonly string[];
}

/** What to do when a return's sale has not reached the connector within the causal wait. */
export type CausalTimeoutPolicy = 'deliver' | 'dead';

/**
 * A connector as the delivery runtime runs it: one lane, its subscriptions, its policies and its handler.
 * The connector SDK builds these; tests build them directly.
 */
export interface DeliveryTarget {
  /** Lane id: lowercase letters, digits and hyphens. */
  id: string;
  types: readonly string[];
  filter?: SubscriptionFilter;
  /** Deliver one store's events in the order poshub published them, each after the previous one settled. */
  orderedPerStore?: boolean;
  retry?: Partial<RetryPolicy>;
  breaker?: Partial<BreakerPolicy>;
  /** Per-attempt time limit. Default 30 s. */
  timeoutMs?: number;
  /** Events in the handler at once. Default 16. */
  maxInFlight?: number;
  /** How long a return waits for its sale to reach this connector. Default 5 min. */
  causalWaitMs?: number;
  causalTimeout?: CausalTimeoutPolicy;
  handle(event: CanonicalEvent, ctx: HandleContext): Promise<HandleResult>;
}
