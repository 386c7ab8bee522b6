import { classifyResponse, classifyVendorError, type HandleResult, type HttpResponse } from '@poshub/sdk';

/** Salesforce error codes that clear by themselves (row locks, the API request limit, maintenance). */
const RETRYABLE = [
  'UNABLE_TO_LOCK_ROW',
  'REQUEST_LIMIT_EXCEEDED',
  'SERVER_UNAVAILABLE',
  'API_CURRENTLY_DISABLED',
];

interface SfError {
  errorCode?: string;
  message?: string;
}

/**
 * What a Salesforce answer means: the REST error list's `errorCode` names the type (`salesforce_<code>`,
 * lower case); a composite request answered 200 failed when one of its sub-requests did (all or none: the
 * others then say PROCESSING_HALTED, so the first real error is the one reported). Row locks and the API
 * limit are retried; other errors (a missing field, a validation rule) are permanent.
 */
export function classifySalesforceResponse(response: HttpResponse, now: number): HandleResult {
  const errors = errorsOf(response);
  if (errors.length === 0) return classifyResponse(response, { now });
  const first = errors.find((e) => e.errorCode !== 'PROCESSING_HALTED') ?? errors[0]!;
  // A failed composite comes back as 200: classify it as the 400 its failing sub-request was.
  const status = response.status < 300 ? 400 : response.status;
  return classifyVendorError(
    { ...response, status },
    'salesforce',
    { code: first.errorCode ?? 'UNKNOWN', message: first.message },
    { retryableCodes: RETRYABLE, now },
  );
}

function errorsOf(response: HttpResponse): SfError[] {
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return [];
  }
  if (Array.isArray(body))
    return body.filter((e): e is SfError => !!e && typeof e === 'object' && 'errorCode' in e);
  const composite = (body as { compositeResponse?: Array<{ httpStatusCode: number; body: unknown }> })
    ?.compositeResponse;
  if (!Array.isArray(composite)) return [];
  return composite
    .filter((r) => r.httpStatusCode >= 400 && Array.isArray(r.body))
    .flatMap((r) => r.body as SfError[]);
}
