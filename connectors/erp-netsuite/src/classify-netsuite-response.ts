import { classifyResponse, type HandleResult, type HttpResponse, permanent, retryable } from '@poshub/sdk';

/** NetSuite error codes that clear by themselves: concurrency governance, a record locked by another user. */
const RETRYABLE_CODES = new Set([
  'CONCURRENCY_LIMIT_EXCEEDED',
  'RCRD_LOCKED_BY_WF',
  'SSS_REQUEST_LIMIT_EXCEEDED',
]);

/**
 * What a NetSuite REST answer means for the delivery: 2xx applied; its `o:errorDetails[].o:errorCode`
 * names the error type (`netsuite_<code>`), governance limits are retryable whatever their status, and
 * otherwise the HTTP rules hold (5xx, 429 retryable with Retry-After; other 4xx permanent, e.g.
 * INVALID_KEY_OR_REF for an item NetSuite does not know).
 */
export function classifyNetSuiteResponse(response: HttpResponse, now: number): HandleResult {
  const byStatus = classifyResponse(response, { now });
  if (byStatus.ok) return byStatus;
  const code = errorCodeOf(response.body);
  if (!code) return byStatus;
  const type = `netsuite_${code.toLowerCase()}`;
  const message = `${code} (HTTP ${response.status}): ${detailOf(response.body)}`.slice(0, 300);
  if (RETRYABLE_CODES.has(code) || byStatus.error.retryable) {
    return retryable(
      type,
      message,
      byStatus.error.retryAfterMs ? { retryAfterMs: byStatus.error.retryAfterMs } : {},
    );
  }
  return permanent(type, message);
}

interface ErrorBody {
  'o:errorDetails'?: Array<{ 'o:errorCode'?: string; detail?: string }>;
  title?: string;
}

function parse(body: string): ErrorBody | undefined {
  try {
    return JSON.parse(body) as ErrorBody;
  } catch {
    return undefined;
  }
}

function errorCodeOf(body: string): string | undefined {
  const code = parse(body)?.['o:errorDetails']?.[0]?.['o:errorCode'];
  return code && /^[A-Z0-9_]{2,60}$/.test(code) ? code : undefined;
}

function detailOf(body: string): string {
  const parsed = parse(body);
  return parsed?.['o:errorDetails']?.[0]?.detail ?? parsed?.title ?? '';
}
