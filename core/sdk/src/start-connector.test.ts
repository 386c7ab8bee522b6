import type { HandleContext } from '@poshub/dispatch';
import type { CanonicalEvent } from '@poshub/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classifyResponse } from './classify-response.ts';
import type { ConnectorContext } from './connector-context.ts';
import { defineConnector } from './define-connector.ts';
import { httpsUrl } from './https-url.ts';
import type { LogRecord } from './logger.ts';
import { secret } from './secret.ts';
import { startConnector } from './start-connector.ts';
import { startTestTarget, type TestTarget } from './testing/test-target.ts';

const Config = z.object({
  baseUrl: httpsUrl(),
  apiKey: secret(z.string().min(12, 'must be at least 12 characters')),
  timeoutMs: z.number().int().positive().default(2_000),
});

const seen: ConnectorContext<z.output<typeof Config>>[] = [];
const connector = defineConnector({
  id: 'erp-acme',
  version: '1.2.0',
  coreCompat: '^0.1.0',
  role: 'erp',
  capabilities: { orderedPerStore: true, idempotentWrites: true },
  config: Config,
  subscribes: { types: ['sale.completed.v1', 'return.completed.v1'], filter: { channels: ['store'] } },
  delivery: (config) => ({ timeoutMs: config.timeoutMs, maxInFlight: 4 }),
  async handle(event, ctx) {
    seen.push(ctx);
    if (event.id === 'throws') throw new Error(`boom with key ${ctx.config.apiKey}`);
    ctx.log.info('posting', { customer: { email: 'jane@example.com' }, apiKey: ctx.config.apiKey });
    const sent = await ctx.http.request({
      method: 'POST',
      url: `${ctx.config.baseUrl}/sales`,
      json: { id: event.id },
      headers: { 'idempotency-key': ctx.idempotencyKey, 'x-api-key': ctx.config.apiKey },
    });
    return sent.ok ? classifyResponse(sent.response) : sent;
  },
});

const event = (id: string) =>
  ({ id, type: 'sale.completed.v1', subject: '0042' }) as unknown as CanonicalEvent;
const attempt = (over: Partial<HandleContext> = {}): HandleContext => ({
  idempotencyKey: 'key-1',
  attempt: 2,
  signal: new AbortController().signal,
  trace: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  ...over,
});

describe('startConnector', () => {
  let target: TestTarget;
  const logs: LogRecord[] = [];
  beforeAll(async () => {
    target = await startTestTarget();
  });
  afterAll(() => target.close());

  const start = (config: unknown, options = {}) =>
    startConnector(connector, config, { log: { sink: (r: LogRecord) => logs.push(r) }, ...options });

  it('builds the delivery target from the definition, the config and the operator settings', () => {
    const started = start(
      { baseUrl: target.url, apiKey: 'key-0123456789' },
      { delivery: { maxInFlight: 2 } },
    );
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    expect(started.target).toMatchObject({
      id: 'erp-acme',
      types: ['sale.completed.v1', 'return.completed.v1'],
      filter: { channels: ['store'] },
      orderedPerStore: true,
      timeoutMs: 2_000,
      maxInFlight: 2,
    });
    const narrowed = start(
      { baseUrl: target.url, apiKey: 'key-0123456789' },
      { id: 'erp-acme-eu', subscribes: { types: ['return.completed.v1'] } },
    );
    expect(narrowed.ok && [narrowed.target.id, narrowed.target.types]).toEqual([
      'erp-acme-eu',
      ['return.completed.v1'],
    ]);
  });

  it('returns config problems at JSON pointers, without echoing secrets', () => {
    const started = start({ baseUrl: 'http://erp.example.test', apiKey: 'short-key', extra: 1 });
    expect(started.ok).toBe(false);
    if (started.ok) return;
    expect(started.problems).toEqual([
      { path: '/config/baseUrl', message: 'must use https (http only for 127.0.0.1 or localhost)' },
      { path: '/config/apiKey', message: 'must be at least 12 characters' },
    ]);
    const nested = start({ baseUrl: target.url, apiKey: 7 });
    expect(!nested.ok && nested.problems.map((p) => p.path)).toEqual(['/config/apiKey']);
  });

  it('refuses a core version outside coreCompat, a batch size the runtime cannot do, foreign types and a bad id', () => {
    const batching = defineConnector({ ...connector, capabilities: { batchSize: 50 } });
    const started = startConnector(
      batching,
      { baseUrl: target.url, apiKey: 'key-0123456789' },
      {
        coreVersion: '1.0.0',
        id: 'Bad Id',
        subscribes: { types: ['order.created.v1'] },
      },
    );
    expect(started.ok).toBe(false);
    if (started.ok) return;
    expect(started.problems.map((p) => p.path)).toEqual([
      '/coreCompat',
      '/capabilities/batchSize',
      '/id',
      '/subscribes/types',
    ]);
    expect(started.problems[0]!.message).toBe('erp-acme 1.2.0 needs poshub core ^0.1.0; this is 1.0.0');
    expect(started.problems[1]!.message).toMatch(
      /batches of 50 events; this runtime delivers one event per call/,
    );
  });

  it('hands the handler the parsed config, the attempt, an HTTP client and a redacting logger', async () => {
    const started = start({ baseUrl: target.url, apiKey: 'key-0123456789' });
    if (!started.ok) throw new Error('did not start');
    expect(await started.target.handle(event('evt-1'), attempt())).toEqual({ ok: true });
    const ctx = seen.at(-1)!;
    expect(ctx).toMatchObject({ idempotencyKey: 'key-1', attempt: 2, config: { timeoutMs: 2_000 } });
    expect(Object.isFrozen(ctx.config)).toBe(true);
    expect(target.calls.at(-1)).toMatchObject({ key: 'key-1', body: '{"id":"evt-1"}' });
    expect(target.calls.at(-1)!.headers['traceparent']).toMatch(/^00-0af7/);
    expect(target.calls.at(-1)!.headers['user-agent']).toBe('poshub-erp-acme/1.2.0');
    const line = logs.find((r) => r.msg === 'posting')!;
    expect(line).toMatchObject({ connector: 'erp-acme', eventId: 'evt-1', attempt: 2, apiKey: '[secret]' });
    expect(JSON.stringify(logs)).not.toMatch(/jane@|key-0123456789/);
  });

  it('turns a handler that throws into a retryable connector_exception, message only', async () => {
    const started = start({ baseUrl: target.url, apiKey: 'key-0123456789' });
    if (!started.ok) throw new Error('did not start');
    const result = await started.target.handle(event('throws'), attempt());
    expect(result).toEqual({
      ok: false,
      error: { retryable: true, type: 'connector_exception', message: 'boom with key [secret]' },
    });
    const line = logs.find((r) => r.msg === 'the connector threw')!;
    expect(line['error']).toEqual({ name: 'Error', message: 'boom with key [secret]' });
  });

  it('gives the handler an OAuth2 provider that explains it is not configured', async () => {
    const started = start({ baseUrl: target.url, apiKey: 'key-0123456789' });
    if (!started.ok) throw new Error('did not start');
    await started.target.handle(event('evt-2'), attempt());
    expect(await seen.at(-1)!.oauth2.token()).toMatchObject({
      ok: false,
      error: { retryable: false, type: 'oauth2_not_configured' },
    });
  });
});
