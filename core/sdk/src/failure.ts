import type { DeliveryError } from '@poshub/dispatch';

/** A failed delivery, as `handle` returns it: data the runtime turns into a retry or a dead letter. */
export interface Failure {
  ok: false;
  error: DeliveryError;
}

/**
 * Trying again later may succeed (the target is down, busy, or asked to wait). The runtime owns when:
 * never sleep or loop in a connector.
 *
 * @example
 * return retryable('http_503', 'ERP is in maintenance', { retryAfterMs: 120_000 });
 */
export function retryable(type: string, message: string, options: { retryAfterMs?: number } = {}): Failure {
  const retryAfterMs = options.retryAfterMs;
  return {
    ok: false,
    error: {
      retryable: true,
      type,
      message,
      ...(retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0
        ? { retryAfterMs: Math.ceil(retryAfterMs) }
        : {}),
    },
  };
}

/**
 * Trying again will never succeed (the target refused the content): the event is dead-lettered for an
 * operator to fix and replay.
 *
 * @example
 * return permanent('invalid_sku', `unknown SKU ${sku}`);
 */
export function permanent(type: string, message: string): Failure {
  return { ok: false, error: { retryable: false, type, message } };
}

/**
 * The receiver asked poshub to stop sending this event (e.g. a webhook endpoint answering 410 Gone):
 * dead-lettered at once, whatever the retry policy says.
 */
export function abort(type: string, message: string): Failure {
  return { ok: false, error: { retryable: false, abort: true, type, message } };
}
