import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
// The real local issuer (oidc-provider), in-process, standing in for NetSuite's token endpoint.
import { createOidcIssuer } from '@poshub/local-services/oidc-issuer';
import { createSigningKey } from '@poshub/local-services/signing-keys';
import { runConnectorConformance } from '@poshub/sdk/testing';
import { afterAll, beforeAll, expect } from 'vitest';
import { netsuiteConnector } from './netsuite-connector.ts';

const API = 'https://netsuite.example.test';
const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
let issuerUrl = '';
let tokenRequests = 0;
let closeIssuer = async () => {};

beforeAll(async () => {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/token')) tokenRequests++;
    handler(req, res);
  });
  let handler: Parameters<typeof createServer>[1] & object = (_req, res) => res.writeHead(503).end();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = createOidcIssuer({
    issuer: issuerUrl,
    keys: [await createSigningKey()],
    config: {
      resourceServers: [{ audience: API, scopes: ['rest_webservices'], accessTokenTtlSeconds: 600 }],
      clients: [
        {
          clientId: 'poshub-netsuite',
          clientSecret: 'unused',
          scopes: ['rest_webservices'],
          audiences: [API],
        },
      ],
    },
    clientAuthentication: {
      'poshub-netsuite': {
        method: 'private_key_jwt',
        jwks: { keys: [{ ...key.publicKey.export({ format: 'jwk' }), kid: 'cert-1' }] },
      },
    },
  });
  handler = provider.callback();
  closeIssuer = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
});
afterAll(() => closeIssuer());

const valid = (restUrl: string) => ({
  accountId: '1234567_SB1',
  restUrl,
  oauth2: {
    issuer: issuerUrl,
    tokenEndpoint: `${issuerUrl}/token`,
    clientId: 'poshub-netsuite',
    authMethod: 'private_key_jwt',
    privateKey: key.privateKey.export({ format: 'jwk' }),
    keyId: 'cert-1',
    scope: 'rest_webservices',
    resource: API,
  },
  subsidiaryId: '1',
  walkInCustomerId: '42',
  locations: { '0042': '7', '0107': '9' },
  timeoutMs: 1000,
});

runConnectorConformance({
  connector: netsuiteConnector,
  validConfig: ({ url }) => valid(url),
  invalidConfigs: [
    {
      name: 'no account',
      config: { ...valid('https://x.example.test'), accountId: undefined },
      path: '/config/accountId',
    },
    {
      name: 'an account id that is not one',
      config: { ...valid('https://x.example.test'), accountId: 'acme corp' },
      path: '/config/accountId',
    },
    {
      name: 'a location that is not an internal id',
      config: { ...valid('https://x.example.test'), locations: { '0042': 'Main street' } },
      path: '/config/locations/0042',
    },
    {
      name: 'no OAuth2 private key',
      config: { ...valid('https://x.example.test'), oauth2: { ...valid('x').oauth2, privateKey: undefined } },
      path: '/config/oauth2/privateKey',
    },
  ],
  // NetSuite's idempotency is the upsert by external id: the same path is the same record.
  target: {
    keyOf: (call) => (call.method === 'PUT' ? call.path : undefined),
    verify: (call) =>
      /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(call.headers.authorization ?? '')
        ? undefined
        : 'no bearer token',
  },
  expectRequests(event, calls) {
    const call = calls[0]!;
    const type = event.type === 'sale.completed.v1' ? 'cashSale' : 'cashRefund';
    expect(call.method).toBe('PUT');
    expect(call.path).toMatch(new RegExp(`^/record/v1/${type}/eid:poshub-`));
    expect(JSON.parse(call.body)).toMatchObject({
      subsidiary: { id: '1' },
      item: { items: expect.any(Array) },
    });
    // A token the real issuer granted for a signed JWT assertion (private_key_jwt), for the NetSuite API.
    const jwt = call.headers.authorization!.split(' ')[1]!;
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: issuerUrl, aud: API, client_id: 'poshub-netsuite' });
    expect(tokenRequests).toBeGreaterThan(0);
  },
});
