import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient } from './http-client.ts';
import { startTestTarget, type TestTarget } from './testing/test-target.ts';

describe('createHttpClient (real loopback server)', () => {
  let target: TestTarget;
  beforeAll(async () => {
    target = await startTestTarget();
  });
  beforeEach(() => target.reset());
  afterAll(() => target.close());

  const client = (signal = new AbortController().signal, timeoutMs = 5_000) =>
    createHttpClient({
      signal,
      timeoutMs,
      trace: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      userAgent: 'poshub-test/1.0.0',
    });

  it('sends JSON with the trace context and returns any status as an answer', async () => {
    target.answer({ status: 422, body: '{"error":"bad sku"}' });
    const result = await client().request({
      method: 'PUT',
      url: `${target.url}/orders/1`,
      json: { sku: 'A' },
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.response.status).toBe(422);
    expect(result.response.json()).toEqual({ error: 'bad sku' });
    const call = target.calls[0]!;
    expect(call).toMatchObject({ method: 'PUT', path: '/orders/1', key: 'k-1', body: '{"sku":"A"}' });
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers['traceparent']).toMatch(/^00-0af7/);
    expect(call.headers['user-agent']).toBe('poshub-test/1.0.0');
  });

  it('does not follow redirects', async () => {
    target.answer({ status: 302, headers: { location: 'https://elsewhere.example/' } });
    const result = await client().request({ url: `${target.url}/x` });
    expect(result.ok && result.response.status).toBe(302);
    expect(target.calls).toHaveLength(1);
  });

  it('turns a hanging target into a retryable timeout, and drops the connection', async () => {
    target.answer({ hang: true });
    const result = await client(undefined, 60_000).request({ url: `${target.url}/slow`, timeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, error: { retryable: true, type: 'timeout' } });
    await expect.poll(() => target.calls[0]?.abandoned).toBe(true);
  });

  it('stops when the attempt is aborted', async () => {
    target.answer({ hang: true });
    const attempt = new AbortController();
    const pending = client(attempt.signal, 60_000).request({ url: `${target.url}/slow` });
    await expect.poll(() => target.calls.length).toBe(1);
    attempt.abort();
    expect(await pending).toMatchObject({ ok: false, error: { retryable: true, type: 'aborted' } });
  });

  it('turns an unreachable target into a retryable network error', async () => {
    const gone = await startTestTarget();
    await gone.close();
    const result = await client().request({ url: `${gone.url}/x` });
    expect(result).toMatchObject({ ok: false, error: { retryable: true, type: 'network' } });
    expect(result.ok ? '' : result.error.message).toMatch(/ECONNREFUSED/);
  });

  it('refuses a non-http URL as a permanent error', async () => {
    const result = await client().request({ url: 'file:///etc/passwd' });
    expect(result).toMatchObject({ ok: false, error: { retryable: false, type: 'invalid_url' } });
  });

  it('cuts a huge body at the limit', async () => {
    target.answer({ status: 200, body: 'x'.repeat(100_000) });
    const small = createHttpClient({
      signal: new AbortController().signal,
      timeoutMs: 5_000,
      maxResponseBytes: 1000,
    });
    const result = await small.request({ url: target.url });
    expect(result.ok && result.response.body.length).toBe(1000);
  });

  it('says so when a request wants OAuth2 and the connector has none', async () => {
    const result = await client().request({ url: target.url, oauth2: true });
    expect(result).toMatchObject({ ok: false, error: { type: 'oauth2_not_configured' } });
  });
});
