/** Thrown by {@link withTimeout} when the operation did not settle in time. */
export class OperationTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${ms} ms`);
    this.name = 'OperationTimeoutError';
  }
}

/** Options of {@link withTimeout}. */
export interface WithTimeoutOptions<T> {
  /** Gets a value that arrives after the timeout, so a channel or connection opened too late is closed, not leaked. */
  onLate?: (value: T) => void;
  /** The error to reject with; default {@link OperationTimeoutError}. */
  timeoutError?: (what: string, ms: number) => Error;
}

/**
 * Settles like `promise`, or rejects after `ms`. A client's own request timeout bounds each request; this
 * bounds a whole operation made of several (metadata, retries, joins, declarations).
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  options: WithTimeoutOptions<T> = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(options.timeoutError?.(what, ms) ?? new OperationTimeoutError(what, ms));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        if (timedOut) options.onLate?.(value);
        else resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!timedOut) reject(error);
      },
    );
  });
}
