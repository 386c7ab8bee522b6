import type { HttpResponse } from '@poshub/sdk';
import { describe, expect, it } from 'vitest';
import { classifyNetSuiteResponse } from './classify-netsuite-response.ts';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    status,
    headers: new Headers(headers),
    url: 'https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/cashSale/eid:x',
    body: text,
    json: () => JSON.parse(text),
  } as HttpResponse;
};
// The error shape of the REST record API (RFC 9457-like, with o:errorDetails).
const nsError = (code: string, detail: string) => ({
  type: 'https://www.w3.org/Protocols/rfc9110.html#status.400',
  title: 'Bad Request',
  'o:errorDetails': [{ detail, 'o:errorCode': code }],
});

describe('classifyNetSuiteResponse', () => {
  it('takes 2xx (204 No Content on an upsert) as applied', () => {
    expect(classifyNetSuiteResponse(answer(204, ''), 0)).toEqual({ ok: true });
  });

  it('names the NetSuite error code and keeps an unknown item permanent', () => {
    const r = classifyNetSuiteResponse(
      answer(400, nsError('INVALID_KEY_OR_REF', 'Invalid item reference key TSHIRT-M-BLU.')),
      0,
    );
    expect(r).toMatchObject({ ok: false, error: { retryable: false, type: 'netsuite_invalid_key_or_ref' } });
    expect(!r.ok && r.error.message).toContain('Invalid item reference key');
  });

  it('retries the concurrency governance limit, honouring Retry-After', () => {
    const r = classifyNetSuiteResponse(
      answer(429, nsError('CONCURRENCY_LIMIT_EXCEEDED', 'Concurrent request limit exceeded.'), {
        'retry-after': '3',
      }),
      0,
    );
    expect(r).toMatchObject({
      ok: false,
      error: { retryable: true, type: 'netsuite_concurrency_limit_exceeded', retryAfterMs: 3000 },
    });
  });

  it('retries a record locked by a workflow even on a 400', () => {
    const r = classifyNetSuiteResponse(answer(400, nsError('RCRD_LOCKED_BY_WF', 'locked')), 0);
    expect(r).toMatchObject({ ok: false, error: { retryable: true, type: 'netsuite_rcrd_locked_by_wf' } });
  });

  it('falls back to the HTTP rules when the body is not NetSuite JSON', () => {
    expect(classifyNetSuiteResponse(answer(502, '<html>bad gateway</html>'), 0)).toMatchObject({
      ok: false,
      error: { retryable: true, type: 'http_502' },
    });
  });
});
