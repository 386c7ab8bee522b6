import type { HandleResult } from '@poshub/dispatch';
import { classifyResponse } from './classify-response.ts';
import { permanent, retryable } from './failure.ts';
import type { HttpResponse } from './http-response.ts';

/** What a connector read from a vendor's error body. */
export interface VendorError {
  /** The vendor's error code, e.g. `CONCURRENCY_LIMIT_EXCEEDED`, `V1/045`, `ConcurrentModification`. */
  code?: string | undefined;
  /** Its human message (scrubbed of nothing: keep personal data out of it). */
  message?: string | undefined;
}

/**
 * An HTTP answer classified by the SDK's rules (see {@link classifyResponse}), then named by the vendor's
 * own error code when its body has one: the type becomes `<vendor>_<code>` (lower case, other characters
 * as `_`), the message the code and the vendor's message, and codes in `retryableCodes` are retried
 * whatever the status (row locks, concurrency limits). A 2xx is ok whatever the body.
 *
 * @example
 * const first = parseErrors(response.body)[0];
 * return classifyVendorError(response, 'square', { code: first?.code, message: first?.detail }, { retryableCodes: ['RATE_LIMITED'] });
 */
export function classifyVendorError(
  response: Pick<HttpResponse, 'status' | 'headers'> & Partial<Pick<HttpResponse, 'body' | 'url'>>,
  vendor: string,
  error: VendorError | undefined,
  options: { retryableCodes?: ReadonlySet<string> | readonly string[]; now?: number } = {},
): HandleResult {
  const byStatus = classifyResponse(response, options.now === undefined ? {} : { now: options.now });
  if (byStatus.ok || !error?.code) return byStatus;
  const type = `${vendor}_${error.code
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')}`;
  const message = `${error.code}${error.message ? `: ${error.message}` : ''}`.slice(0, 300);
  const codes = new Set(options.retryableCodes ?? []);
  if (codes.has(error.code) || byStatus.error.retryable) {
    const after = byStatus.error.retryAfterMs;
    return retryable(type, message, after === undefined ? {} : { retryAfterMs: after });
  }
  return permanent(type, message);
}
