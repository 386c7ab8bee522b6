import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient } from '@poshub/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopifyGraphql } from './shopify-graphql.ts';

let reply: { status: number; body: unknown } = { status: 200, body: {} };
let url = '';
const server = createServer((_req, res) => {
  res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/api/2026-10/graphql.json`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const call = () =>
  shopifyGraphql(
    createHttpClient({ signal: new AbortController().signal, timeoutMs: 2000 }),
    { url, accessToken: 'shpat_x', timeoutMs: 2000, now: Date.now() },
    'query { shop { id } }',
    {},
  );

describe('shopifyGraphql against a loopback server', () => {
  it('returns the data of a clean answer', async () => {
    reply = { status: 200, body: { data: { shop: { id: 'gid://shopify/Shop/1' } } } };
    expect(await call()).toEqual({ ok: true, data: { shop: { id: 'gid://shopify/Shop/1' } } });
  });

  it('retries THROTTLED after the time the cost bucket needs to refill', async () => {
    reply = {
      status: 200,
      body: {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }],
        extensions: {
          cost: { requestedQueryCost: 202, throttleStatus: { currentlyAvailable: 2, restoreRate: 100 } },
        },
      },
    };
    expect(await call()).toMatchObject({
      ok: false,
      error: { retryable: true, type: 'shopify_throttled', retryAfterMs: 2000 },
    });
  });

  it('keeps other GraphQL errors permanent and 5xx retryable', async () => {
    reply = {
      status: 200,
      body: { errors: [{ message: "Field 'x' doesn't exist", extensions: { code: 'undefinedField' } }] },
    };
    expect(await call()).toMatchObject({
      ok: false,
      error: { retryable: false, type: 'shopify_undefinedfield' },
    });
    reply = { status: 503, body: { errors: 'unavailable' } };
    expect(await call()).toMatchObject({ ok: false, error: { retryable: true, type: 'http_503' } });
  });
});
