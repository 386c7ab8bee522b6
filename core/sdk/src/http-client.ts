import { type Failure, permanent, retryable } from './failure.ts';
import type { HttpResponse } from './http-response.ts';
import type { TokenProvider } from './token-provider.ts';

/** One outbound request. */
export interface HttpRequest {
  url: string | URL;
  /** @default 'GET', or 'POST' when there is a body */
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON (content-type application/json unless a header says otherwise). */
  json?: unknown;
  /** Sent as is: sign exactly these bytes when the target checks a signature. */
  body?: string | Uint8Array;
  /** Shortens the client's timeout for this request; it can never lengthen it. */
  timeoutMs?: number;
  /** Adds `Authorization: Bearer <token>` from the connector's OAuth2 client. */
  oauth2?: boolean;
}

/** An answer (whatever its status: classify it with `classifyResponse`), or why there was none. */
export type HttpResult = { ok: true; response: HttpResponse } | Failure;

/** The HTTP client a connector gets: fetch with a mandatory timeout, tied to the attempt's AbortSignal. */
export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResult>;
}

/** What an attempt's HTTP client is built from. */
export interface HttpClientOptions {
  /** The attempt's signal: aborting it stops every request in flight. */
  signal: AbortSignal;
  /** Every request's time limit (requests may ask for less). */
  timeoutMs: number;
  oauth2?: TokenProvider;
  /** W3C trace context passed on as `traceparent` / `tracestate` headers. */
  trace?: { traceparent: string; tracestate?: string };
  /** Bodies beyond this are cut. @default 1 MiB */
  maxResponseBytes?: number;
  userAgent?: string;
}

/**
 * An HTTP client for one attempt. Network failures and timeouts come back as retryable errors
 * (`network`, `timeout`, `aborted`), never as exceptions; redirects are not followed (a 3xx is an answer).
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const maxBytes = options.maxResponseBytes ?? 1024 * 1024;
  const send = async (request: HttpRequest, token: string | undefined): Promise<HttpResult> => {
    const timeoutMs = Math.max(1, Math.min(options.timeoutMs, request.timeoutMs ?? Number.POSITIVE_INFINITY));
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([options.signal, timeout]);
    const url = URL.parse(String(request.url));
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      return permanent('invalid_url', 'the connector built a URL that is not http(s)');
    }
    const where = `${url.origin}${url.pathname}`;
    const headers = new Headers(request.headers);
    let body: string | Uint8Array | undefined = request.body;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    if (options.trace && !headers.has('traceparent')) {
      headers.set('traceparent', options.trace.traceparent);
      if (options.trace.tracestate) headers.set('tracestate', options.trace.tracestate);
    }
    if (options.userAgent && !headers.has('user-agent')) headers.set('user-agent', options.userAgent);
    if (token) headers.set('authorization', `Bearer ${token}`);
    try {
      const response = await fetch(url, {
        method: request.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        ...(body === undefined ? {} : { body }),
        redirect: 'manual',
        signal,
      });
      const text = await readText(response, maxBytes);
      return {
        ok: true,
        response: {
          status: response.status,
          headers: response.headers,
          url: url.href,
          body: text,
          json: () => {
            try {
              return JSON.parse(text) as unknown;
            } catch {
              return undefined;
            }
          },
        },
      };
    } catch (error) {
      if (timeout.aborted) return retryable('timeout', `no answer from ${where} within ${timeoutMs} ms`);
      if (options.signal.aborted) return retryable('aborted', `the attempt was aborted during ${where}`);
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return retryable(
        'network',
        `cannot reach ${where}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      );
    }
  };

  return {
    async request(request) {
      if (!request.oauth2) return send(request, undefined);
      if (!options.oauth2) return retryable('oauth2_not_configured', 'this connector has no OAuth2 client');
      const first = await options.oauth2.token(options.signal);
      if (!first.ok) return first;
      const sent = await send(request, first.accessToken);
      // A cached token the target refuses may have been revoked: one more try with a new one.
      if (!sent.ok || sent.response.status !== 401 || first.fresh) return sent;
      options.oauth2.invalidate();
      const second = await options.oauth2.token(options.signal);
      return second.ok ? send(request, second.accessToken) : second;
    },
  };
}

async function readText(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= maxBytes) {
      await reader.cancel();
      break;
    }
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, maxBytes));
}
