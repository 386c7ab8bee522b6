import { describe, expect, it } from 'vitest';
import { classifyResponse } from './classify-response.ts';
import { parseRetryAfter } from './retry-after.ts';

const answer = (status: number, headers: Record<string, string> = {}, body = '') => ({
  status,
  headers: new Headers(headers),
  body,
  url: 'https://erp.example.test/orders?token=abc',
});

describe('classifyResponse', () => {
  it('takes 2xx as delivered', () => {
    expect(classifyResponse(answer(200))).toEqual({ ok: true });
    expect(classifyResponse(answer(204))).toEqual({ ok: true });
  });

  it.each([408, 425, 429, 500, 502, 503, 504])('takes %i as retryable', (status) => {
    expect(classifyResponse(answer(status))).toMatchObject({
      ok: false,
      error: { retryable: true, type: `http_${status}` },
    });
  });

  it.each([301, 400, 401, 403, 404, 409, 410, 422])('takes %i as permanent', (status) => {
    expect(classifyResponse(answer(status))).toMatchObject({
      ok: false,
      error: { retryable: false, type: `http_${status}` },
    });
  });

  it('honours Retry-After in seconds and as an HTTP date', () => {
    const now = Date.parse('2026-03-14T18:00:00Z');
    expect(classifyResponse(answer(429, { 'retry-after': '7' }), { now })).toMatchObject({
      error: { retryAfterMs: 7000 },
    });
    const date = new Date(now + 90_000).toUTCString();
    expect(classifyResponse(answer(503, { 'retry-after': date }), { now })).toMatchObject({
      error: { retryAfterMs: 90_000 },
    });
    const result = classifyResponse(answer(503, { 'retry-after': 'soon' }), { now });
    expect(result.ok === false && 'retryAfterMs' in result.error).toBe(false);
  });

  it('names the host and a scrubbed start of the body, not the query', () => {
    const result = classifyResponse(answer(422, {}, '{"error":"unknown customer jane@example.com"}'));
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.error.message;
    expect(message).toContain('HTTP 422 from erp.example.test');
    expect(message).toContain('unknown customer [email]');
    expect(message).not.toContain('token=abc');
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and dates, and ignores anything else', () => {
    const now = Date.parse('2026-03-14T18:00:00Z');
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('Sat, 14 Mar 2026 18:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Sat, 14 Mar 2026 17:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
