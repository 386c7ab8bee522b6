import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startConnector } from '@poshub/sdk';
import { canonicalFixtures } from '@poshub/sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { s4hanaConnector } from './s4hana-connector.ts';
import { s4Config } from './s4hana-fixtures.ts';

/**
 * A loopback stand-in for SAP Gateway's side of these calls: basic auth, CSRF tokens bound to a session
 * cookie (403 "x-csrf-token: Required" otherwise), $filter on PurchaseOrderByCustomer, creation with a new
 * document number, and OData V2 error bodies.
 */
const docs = new Map<string, Array<Record<string, unknown>>>();
const requests: Array<{ method: string; path: string }> = [];
let nextNumber = 4711;
let failCreate: { status: number; code: string; message: string } | undefined;

function gateway(req: IncomingMessage, res: ServerResponse, body: string) {
  const url = new URL(req.url!, 'http://x');
  requests.push({ method: req.method!, path: url.pathname });
  const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
  if (
    req.headers.authorization !==
    `Basic ${Buffer.from('POSHUB_COMM_USER:comm-user-password').toString('base64')}`
  ) {
    return json(401, { error: { code: '/IWFND/CM_CONSUMER/101', message: { value: 'Unauthorized' } } });
  }
  const set = url.pathname.split('/').at(-1)!;
  if (req.method === 'GET') {
    const ref = /PurchaseOrderByCustomer eq '(.*)'/.exec(url.searchParams.get('$filter') ?? '')?.[1];
    const found = (docs.get(set) ?? []).filter((d) => d.PurchaseOrderByCustomer === ref);
    return json(
      200,
      { d: { results: found } },
      { 'x-csrf-token': 'tok-1', 'set-cookie': 'SAP_SESSIONID=abc; path=/; HttpOnly' },
    );
  }
  if (req.headers['x-csrf-token'] !== 'tok-1' || !String(req.headers.cookie).includes('SAP_SESSIONID=abc')) {
    return json(
      403,
      { error: { code: '/IWFND/CM_BEC/026', message: { value: 'CSRF token validation failed' } } },
      { 'x-csrf-token': 'Required' },
    );
  }
  if (failCreate)
    return json(failCreate.status, {
      error: { code: failCreate.code, message: { value: failCreate.message } },
    });
  const doc = JSON.parse(body) as Record<string, unknown>;
  const number = String(nextNumber++);
  docs.set(set, [...(docs.get(set) ?? []), { ...doc, SalesOrder: number, CustomerReturn: number }]);
  return json(201, { d: { ...doc, SalesOrder: number } });
}

let url = '';
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => gateway(req, res, body));
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests.length = 0;
  failCreate = undefined;
});

const [sale, refund] = canonicalFixtures();
const deliver = async (event: typeof sale) => {
  const started = startConnector(s4hanaConnector, s4Config(url), { log: { sink: () => {} } });
  if (!started.ok) throw new Error(JSON.stringify(started.problems));
  return started.target.handle(event!, {
    idempotencyKey: 'k',
    attempt: 1,
    signal: new AbortController().signal,
  });
};

describe('S/4HANA connector against a loopback SAP Gateway stand-in', () => {
  it('looks up, then creates the sales order with the CSRF token and session cookie', async () => {
    expect(await deliver(sale)).toEqual({ ok: true });
    expect(requests.map((r) => `${r.method} ${r.path.split('/').slice(-2).join('/')}`)).toEqual([
      'GET API_SALES_ORDER_SRV/A_SalesOrder',
      'POST API_SALES_ORDER_SRV/A_SalesOrder',
    ]);
  });

  it('does not create it twice: a redelivery finds it by its customer reference', async () => {
    expect(await deliver(sale)).toEqual({ ok: true });
    expect(requests.map((r) => r.method)).toEqual(['GET']);
    expect(docs.get('A_SalesOrder')).toHaveLength(1);
  });

  it('posts the return with its items referencing the original sales order', async () => {
    expect(await deliver(refund)).toEqual({ ok: true });
    const created = docs.get('A_CustomerReturn')![0]! as { to_Item: Array<{ ReferenceSDDocument?: string }> };
    expect(created.to_Item[0]!.ReferenceSDDocument).toBe('4711');
  });

  it('turns an OData error into a typed failure', async () => {
    failCreate = {
      status: 400,
      code: 'V1/045',
      message: 'Material TSHIRT-M-BLU is not defined for sales org 1010',
    };
    docs.delete('A_SalesOrder');
    expect(await deliver(sale)).toMatchObject({ ok: false, error: { retryable: false, type: 'sap_v1_045' } });
  });
});
