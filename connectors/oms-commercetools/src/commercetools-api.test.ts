import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOidcIssuer } from '@poshub/local-services/oidc-issuer';
import { createSigningKey } from '@poshub/local-services/signing-keys';
import { startConnector } from '@poshub/sdk';
import { runConnectorConformance } from '@poshub/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commercetoolsConnector } from './commercetools-connector.ts';
import type { CtOrder, OrderAction } from './order-actions.ts';
import { ctOrder, orderFixtures } from './order-fixtures.ts';

const API = 'https://api.europe-west1.gcp.commercetools.com';
let issuerUrl = '';
const closers: Array<() => Promise<void>> = [];

/** A stateful stand-in for the Order endpoints: versions, ConcurrentModification, the actions applied. */
const orders = new Map<string, CtOrder>();
const updates: Array<{ orderNumber: string; actions: OrderAction[] }> = [];
let apiUrl = '';
let conflictOnce = false;

beforeAll(async () => {
  let issue: Parameters<typeof createServer>[1] & object = (_q, r) => r.writeHead(503).end();
  const issuer = createServer((q, r) => issue(q, r));
  await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
  issuerUrl = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
  issue = createOidcIssuer({
    issuer: issuerUrl,
    keys: [await createSigningKey()],
    config: {
      resourceServers: [{ audience: API, scopes: ['manage_orders:acme-prod'], accessTokenTtlSeconds: 600 }],
      clients: [
        {
          clientId: 'poshub-oms',
          clientSecret: 'oms-secret',
          scopes: ['manage_orders:acme-prod'],
          audiences: [API],
        },
      ],
    },
  }).callback();
  const api = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const json = (status: number, value: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (!req.headers.authorization?.startsWith('Bearer '))
        return json(401, { statusCode: 401, errors: [{ code: 'invalid_token' }] });
      const n = decodeURIComponent(/order-number=(.*)$/.exec(req.url ?? '')?.[1] ?? '');
      const order = orders.get(n);
      if (!order)
        return json(404, {
          statusCode: 404,
          errors: [{ code: 'ResourceNotFound', message: `The Resource with key '${n}' was not found.` }],
        });
      if (req.method === 'GET') return json(200, order);
      const update = JSON.parse(body) as { version: number; actions: OrderAction[] };
      if (conflictOnce || update.version !== order.version) {
        conflictOnce = false;
        order.version++;
        return json(409, {
          statusCode: 409,
          errors: [
            { code: 'ConcurrentModification', message: 'version mismatch', currentVersion: order.version },
          ],
        });
      }
      for (const a of update.actions) {
        if (a.action === 'changeShipmentState') order.shipmentState = a.shipmentState as string;
        if (a.action === 'changeOrderState') order.orderState = a.orderState as string;
        if (a.action === 'addReturnInfo')
          order.returnInfo = [
            ...(order.returnInfo ?? []),
            { returnTrackingId: a.returnTrackingId as string },
          ];
      }
      order.version++;
      updates.push({ orderNumber: n, actions: update.actions });
      return json(200, order);
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  for (const s of [issuer, api]) {
    closers.push(() => {
      s.closeAllConnections();
      return new Promise<void>((resolve) => s.close(() => resolve()));
    });
  }
});
afterAll(async () => {
  for (const close of closers) await close();
});

const config = (url: string) => ({
  apiUrl: url,
  projectKey: 'acme-prod',
  oauth2: {
    issuer: issuerUrl,
    tokenEndpoint: `${issuerUrl}/token`,
    clientId: 'poshub-oms',
    authMethod: 'client_secret_basic',
    clientSecret: 'oms-secret',
    scope: 'manage_orders:acme-prod',
    resource: API,
  },
  timeoutMs: 1000,
});

describe('commercetools connector against a stateful Order API stand-in (tokens from a real issuer)', () => {
  const [pickup, , returned] = orderFixtures();
  const deliver = async (event: typeof pickup) => {
    const started = startConnector(commercetoolsConnector, config(apiUrl), { log: { sink: () => {} } });
    if (!started.ok) throw new Error(JSON.stringify(started.problems));
    return started.target.handle(event!, {
      idempotencyKey: 'k',
      attempt: 1,
      signal: new AbortController().signal,
    });
  };

  it('hands the click-and-collect order over, and a redelivery changes nothing', async () => {
    orders.set('WEB-10077', ctOrder('WEB-10077'));
    expect(await deliver(pickup)).toEqual({ ok: true });
    expect(orders.get('WEB-10077')).toMatchObject({
      shipmentState: 'Delivered',
      orderState: 'Complete',
      version: 8,
    });
    const before = updates.length;
    expect(await deliver(pickup)).toEqual({ ok: true });
    expect(updates.length).toBe(before);
  });

  it('retries a concurrent modification, then records the return once', async () => {
    orders.set('WEB-10079', ctOrder('WEB-10079'));
    conflictOnce = true;
    expect(await deliver(returned)).toMatchObject({
      ok: false,
      error: { retryable: true, type: 'commercetools_concurrentmodification' },
    });
    expect(await deliver(returned)).toEqual({ ok: true });
    expect(await deliver(returned)).toEqual({ ok: true });
    expect(orders.get('WEB-10079')!.returnInfo).toHaveLength(1);
  });

  it('dead-letters an order commercetools does not know', async () => {
    const unknown = structuredClone(pickup!) as typeof pickup & { data: { orderId: string } };
    unknown!.data.orderId = 'WEB-404';
    expect(await deliver(unknown)).toMatchObject({
      ok: false,
      error: { retryable: false, type: 'commercetools_resourcenotfound' },
    });
  });
});

runConnectorConformance({
  connector: commercetoolsConnector,
  fixtures: orderFixtures(),
  validConfig: ({ url }) => config(url),
  invalidConfigs: [
    {
      name: 'a project key with capitals',
      config: { ...config('https://x.example.test'), projectKey: 'Acme' },
      path: '/config/projectKey',
    },
    {
      name: 'no API URL',
      config: { ...config('https://x.example.test'), apiUrl: undefined },
      path: '/config/apiUrl',
    },
  ],
  // The kit's target answers every read with the same order, so a write is keyed by what it changes.
  target: {
    okBody: JSON.stringify(
      ctOrder('WEB-1', { lineItems: [{ id: '2', quantity: 2, variant: { sku: 'TSHIRT-M-BLU' } }] }),
    ),
    keyOf: (call) =>
      call.method === 'POST'
        ? `${call.path} ${JSON.stringify((JSON.parse(call.body) as { actions: unknown }).actions)}`
        : undefined,
  },
  expectRequests(_event, calls) {
    expect(calls[0]!.method).toBe('GET');
    expect(calls[0]!.path).toMatch(/^\/acme-prod\/orders\/order-number=WEB-/);
  },
});
