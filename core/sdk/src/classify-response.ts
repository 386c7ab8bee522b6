import type { HandleResult } from '@poshub/dispatch';
import { permanent, retryable } from './failure.ts';
import type { HttpResponse } from './http-response.ts';
import { scrubText } from './redact-personal-data.ts';
import { parseRetryAfter } from './retry-after.ts';

const RETRYABLE_4XX = new Set([408, 425, 429]);

/**
 * The delivery result an HTTP answer means: 2xx ok; 408, 425, 429 and 5xx retryable, with the wait its
 * `Retry-After` asks for (seconds or an HTTP date); anything else (other 4xx, an unfollowed 3xx) permanent.
 * The error type is `http_<status>`; the message names the host and a scrubbed start of the body.
 *
 * @example
 * const sent = await ctx.http.request({ method: 'POST', url, json: order });
 * return sent.ok ? classifyResponse(sent.response) : sent;
 */
export function classifyResponse(
  response: Pick<HttpResponse, 'status' | 'headers'> & Partial<Pick<HttpResponse, 'body' | 'url'>>,
  options: { now?: number } = {},
): HandleResult {
  const { status } = response;
  if (status >= 200 && status < 300) return { ok: true };
  const type = `http_${status}`;
  const message = describe(response);
  if (status >= 500 || RETRYABLE_4XX.has(status)) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now ?? Date.now());
    return retryable(type, message, retryAfterMs === undefined ? {} : { retryAfterMs });
  }
  return permanent(type, message);
}

function describe(response: Partial<Pick<HttpResponse, 'body' | 'url'>> & { status: number }): string {
  let host = '';
  try {
    host = response.url ? ` from ${new URL(response.url).host}` : '';
  } catch {}
  const body = scrubText((response.body ?? '').replace(/\s+/g, ' ').trim()).slice(0, 200);
  return `HTTP ${response.status}${host}${body ? `: ${body}` : ''}`;
}
