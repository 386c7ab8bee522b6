import {
  classifyResponse,
  classifyVendorError,
  type Failure,
  type HttpClient,
  type HttpResponse,
  permanent,
} from '@poshub/sdk';
import type { S4HanaConfig } from './s4hana-config.ts';

/** What a write needs: the CSRF token and the session cookies it belongs to. */
export interface ODataSession {
  csrfToken: string;
  cookie: string;
}

/** Basic authentication of the communication user. */
export function authHeader(config: S4HanaConfig): string {
  return `Basic ${Buffer.from(`${config.user}:${config.password}`).toString('base64')}`;
}

/** The root of an OData V2 service. */
export function serviceUrl(config: S4HanaConfig, service: string): string {
  return `${config.baseUrl.replace(/\/+$/, '')}/sap/opu/odata/sap/${service}`;
}

/**
 * A GET that also fetches a CSRF token (`x-csrf-token: Fetch`), as SAP Gateway requires one, with the
 * session cookies, for any modifying request. Returns the answer's `d.results` and the session.
 */
export async function odataQuery(
  http: HttpClient,
  config: S4HanaConfig,
  url: string,
  now: number,
): Promise<{ ok: true; results: Array<Record<string, unknown>>; session: ODataSession } | Failure> {
  const sent = await http.request({
    method: 'GET',
    url,
    timeoutMs: config.timeoutMs,
    headers: { authorization: authHeader(config), accept: 'application/json', 'x-csrf-token': 'Fetch' },
  });
  if (!sent.ok) return sent;
  const failure = odataFailure(sent.response, now);
  if (failure) return failure;
  let results: Array<Record<string, unknown>> = [];
  try {
    results =
      (JSON.parse(sent.response.body || '{}') as { d?: { results?: Array<Record<string, unknown>> } }).d
        ?.results ?? [];
  } catch {
    return permanent('sap_bad_response', 'the lookup answer was not OData JSON');
  }
  const cookies = sent.response.headers.getSetCookie?.() ?? [];
  return {
    ok: true,
    results,
    session: {
      csrfToken: sent.response.headers.get('x-csrf-token') ?? '',
      cookie: cookies.map((c) => c.split(';')[0]).join('; '),
    },
  };
}

/**
 * An OData V2 error answer as a delivery failure (`sap_<code>`, from `error.code`, e.g. `sap_v1_045`),
 * or undefined for 2xx. A refused CSRF token (403 with `x-csrf-token: Required`) is retryable: the next
 * attempt fetches a new one.
 */
export function odataFailure(response: HttpResponse, now: number): Failure | undefined {
  const byStatus = classifyResponse(response, { now });
  if (byStatus.ok) return undefined;
  if (response.status === 403 && response.headers.get('x-csrf-token')?.toLowerCase() === 'required') {
    return {
      ok: false,
      error: { retryable: true, type: 'sap_csrf_token_expired', message: 'the CSRF token was refused' },
    };
  }
  let error: { code?: string; message?: { value?: string } } | undefined;
  try {
    error = (JSON.parse(response.body) as { error?: typeof error }).error;
  } catch {}
  const classified = classifyVendorError(
    response,
    'sap',
    error && { code: error.code, message: error.message?.value },
    { now },
  );
  return classified.ok ? byStatus : classified;
}
