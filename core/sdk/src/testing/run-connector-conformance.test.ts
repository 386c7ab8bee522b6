// The kit run over a minimal HTTP connector written with the SDK, as a connector package would use it.
import { z } from 'zod';
import { classifyResponse } from '../classify-response.ts';
import { defineConnector } from '../define-connector.ts';
import { httpsUrl } from '../https-url.ts';
import { secret } from '../secret.ts';
import { runConnectorConformance } from './run-connector-conformance.ts';

const exampleConnector = defineConnector({
  id: 'erp-example',
  version: '0.1.0',
  coreCompat: '^0.1.0',
  role: 'erp',
  capabilities: { idempotentWrites: true },
  config: z.object({ baseUrl: httpsUrl(), apiKey: secret(z.string().min(16)) }),
  subscribes: { types: ['sale.completed.v1', 'return.completed.v1'] },
  async handle(event, ctx) {
    ctx.log.debug('posting', { eventId: event.id, apiKey: ctx.config.apiKey });
    const sent = await ctx.http.request({
      method: 'POST',
      url: `${ctx.config.baseUrl}/transactions`,
      json: { id: event.id, store: event.subject, total: (event.data as { total?: unknown }).total },
      headers: { 'idempotency-key': ctx.idempotencyKey, authorization: `ApiKey ${ctx.config.apiKey}` },
    });
    return sent.ok ? classifyResponse(sent.response) : sent;
  },
});

const apiKey = 'example-key-0123456789';

runConnectorConformance({
  connector: exampleConnector,
  validConfig: ({ url }) => ({ baseUrl: url, apiKey }),
  invalidConfigs: [
    { name: 'no base URL', config: { apiKey }, path: '/config/baseUrl' },
    {
      name: 'plain http to a remote host',
      config: { baseUrl: 'http://erp.example.test', apiKey },
      path: '/config/baseUrl',
      message: /https/,
    },
    {
      name: 'a short key',
      config: { baseUrl: 'https://erp.example.test', apiKey: 'short' },
      path: '/config/apiKey',
    },
  ],
  expectRequests(event, calls) {
    const body = JSON.parse(calls[0]!.body) as { id: string; store: string };
    if (body.id !== event.id || body.store !== event.subject)
      throw new Error(`unexpected body ${calls[0]!.body}`);
  },
});

// The same connector declaring order per store and no idempotent writes: those checks are skipped, with why.
runConnectorConformance({
  connector: defineConnector({
    ...exampleConnector,
    id: 'erp-example-ordered',
    capabilities: { orderedPerStore: true, idempotentWrites: false },
  }),
  validConfig: ({ url }) => ({ baseUrl: url, apiKey }),
  invalidConfigs: [
    { name: 'no key', config: { baseUrl: 'https://erp.example.test' }, path: '/config/apiKey' },
  ],
  skip: { timeout: 'covered by the first run of this connector' },
});
