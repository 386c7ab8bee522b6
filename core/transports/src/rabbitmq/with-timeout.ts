import { RabbitmqTimeoutError } from './rabbitmq-errors.ts';

/**
 * Settles like `promise`, or rejects with {@link RabbitmqTimeoutError} after `timeoutMs`. A value that
 * arrives after the timeout goes to `onLate`, so a channel or connection opened too late is closed instead
 * of leaking.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  what: string,
  onLate?: (value: T) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new RabbitmqTimeoutError(what, timeoutMs));
    }, timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        if (timedOut) onLate?.(value);
        else resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!timedOut) reject(error);
      },
    );
  });
}

/** Resolves after `ms`; `unref`'d so a pending pause never keeps the process alive. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
