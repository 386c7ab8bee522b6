/** When a connector's breaker opens and how it probes the target back. */
export interface BreakerPolicy {
  /** Consecutive retryable failures that open the breaker. */
  failureThreshold: number;
  /** How long it stays open before one probe is let through. */
  openMs: number;
}

export const DEFAULT_BREAKER_POLICY: BreakerPolicy = { failureThreshold: 5, openMs: 30_000 };

/** closed: calls go through; open: none do; half_open: one probe does. */
export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * A circuit breaker per connector (Fowler): stops hammering a dead target, lets one probe through after a
 * while, closes again on the probe's success. Events refused while it is open are not attempts: they wait.
 */
export class CircuitBreaker {
  readonly #policy: BreakerPolicy;
  readonly #now: () => number;
  #failures = 0;
  #openedAt = 0;
  #state: BreakerState = 'closed';
  #probing = false;

  constructor(policy: BreakerPolicy = DEFAULT_BREAKER_POLICY, now: () => number = Date.now) {
    this.#policy = policy;
    this.#now = now;
  }

  get state(): BreakerState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#policy.openMs)
      this.#state = 'half_open';
    return this.#state;
  }

  /** 0 when a call may go now (and, half-open, reserves the probe); else how long to wait, in ms. */
  acquire(): number {
    const state = this.state;
    if (state === 'closed') return 0;
    if (state === 'half_open' && !this.#probing) {
      this.#probing = true;
      return 0;
    }
    const left = this.#policy.openMs - (this.#now() - this.#openedAt);
    return Math.max(left, 250);
  }

  /** The target answered (a permanent error is an answer too: the target is up). */
  success(): void {
    this.#failures = 0;
    this.#probing = false;
    this.#state = 'closed';
  }

  /** A retryable failure: timeout, 5xx, 429, connection refused. */
  failure(): void {
    this.#failures++;
    if (this.#probing || this.#failures >= this.#policy.failureThreshold) {
      this.#state = 'open';
      this.#openedAt = this.#now();
    }
    this.#probing = false;
  }
}
