import { classifyVendorError, type HandleResult, type HttpResponse } from '@poshub/sdk';

/** NetSuite error codes that clear by themselves: concurrency governance, a record locked by another user. */
const RETRYABLE_CODES = ['CONCURRENCY_LIMIT_EXCEEDED', 'RCRD_LOCKED_BY_WF', 'SSS_REQUEST_LIMIT_EXCEEDED'];

/**
 * What a NetSuite REST answer means for the delivery: 2xx applied; its `o:errorDetails[].o:errorCode`
 * names the error type (`netsuite_<code>`), governance limits are retryable whatever their status, and
 * otherwise the HTTP rules hold (5xx, 429 retryable with Retry-After; other 4xx permanent, e.g.
 * INVALID_KEY_OR_REF for an item NetSuite does not know).
 */
export function classifyNetSuiteResponse(response: HttpResponse, now: number): HandleResult {
  let first: { 'o:errorCode'?: string; detail?: string } | undefined;
  try {
    first = (JSON.parse(response.body) as { 'o:errorDetails'?: Array<typeof first> })['o:errorDetails']?.[0];
  } catch {}
  const code = first?.['o:errorCode'];
  return classifyVendorError(
    response,
    'netsuite',
    code && /^[A-Z0-9_]{2,60}$/.test(code) ? { code, message: first?.detail } : undefined,
    { retryableCodes: RETRYABLE_CODES, now },
  );
}
