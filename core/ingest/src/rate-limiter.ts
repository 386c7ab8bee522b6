/** A token bucket per client: `ratePerSecond` sustained, `burst` at once. */
export class RateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(ratePerSecond: number, burst: number) {
    this.#rate = ratePerSecond;
    this.#burst = burst;
  }

  /** Takes `cost` tokens for `client`; when it cannot, says how many seconds until it can. */
  take(client: string, cost = 1, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const bucket = this.#buckets.get(client) ?? { tokens: this.#burst, at: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#rate);
    bucket.at = now;
    this.#buckets.set(client, bucket);
    if (this.#buckets.size > 100_000) this.#buckets.clear(); // bounded memory under a flood of client ids
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - bucket.tokens) / this.#rate)) };
  }
}
