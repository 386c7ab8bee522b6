import { withTimeout as withDeadline } from '../with-timeout.ts';
import { RabbitmqTimeoutError } from './rabbitmq-errors.ts';

/**
 * The shared {@link withDeadline} with RabbitMQ's error: rejects with {@link RabbitmqTimeoutError} after
 * `timeoutMs`; a value that arrives later goes to `onLate`.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  what: string,
  onLate?: (value: T) => void,
): Promise<T> {
  return withDeadline(promise, timeoutMs, what, {
    ...(onLate ? { onLate } : {}),
    timeoutError: (w, ms) => new RabbitmqTimeoutError(w, ms),
  });
}

/** Resolves after `ms`; `unref`'d so a pending pause never keeps the process alive. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
