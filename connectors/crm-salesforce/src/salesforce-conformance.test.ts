import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
// The real local issuer (oidc-provider), in-process, standing in for the org's token endpoint.
import { createOidcIssuer } from '@poshub/local-services/oidc-issuer';
import { createSigningKey } from '@poshub/local-services/signing-keys';
import { runConnectorConformance } from '@poshub/sdk/testing';
import { afterAll, beforeAll, expect } from 'vitest';
import { salesforceConnector } from './salesforce-connector.ts';
import { salesforceFixtures } from './salesforce-fixtures.ts';

const API = 'https://acme.my.salesforce.com';
let issuerUrl = '';
let closeIssuer = async () => {};

beforeAll(async () => {
  let handler: Parameters<typeof createServer>[1] & object = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handler = createOidcIssuer({
    issuer: issuerUrl,
    keys: [await createSigningKey()],
    config: {
      resourceServers: [{ audience: API, scopes: ['api'], accessTokenTtlSeconds: 600 }],
      clients: [{ clientId: 'poshub-crm', clientSecret: 'crm-secret', scopes: ['api'], audiences: [API] }],
    },
    clientAuthentication: { 'poshub-crm': { method: 'client_secret_post' } },
  }).callback();
  closeIssuer = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
});
afterAll(() => closeIssuer());

const valid = (instanceUrl: string) => ({
  instanceUrl,
  oauth2: {
    issuer: issuerUrl,
    tokenEndpoint: `${issuerUrl}/token`,
    clientId: 'poshub-crm',
    authMethod: 'client_secret_post',
    clientSecret: 'crm-secret',
    scope: 'api',
    resource: API,
  },
  timeoutMs: 1000,
});

runConnectorConformance({
  connector: salesforceConnector,
  fixtures: salesforceFixtures(),
  validConfig: ({ url }) => valid(url),
  invalidConfigs: [
    {
      name: 'no instance URL',
      config: { ...valid('https://x.example.test'), instanceUrl: undefined },
      path: '/config/instanceUrl',
    },
    {
      name: 'an API version that is not one',
      config: { ...valid('https://x.example.test'), apiVersion: '62' },
      path: '/config/apiVersion',
    },
    {
      name: 'an external id field that is not an API name',
      config: { ...valid('https://x.example.test'), contact: { externalIdField: 'poshub id' } },
      path: '/config/contact/externalIdField',
    },
    {
      name: 'no client secret',
      config: {
        ...valid('https://x.example.test'),
        oauth2: { ...valid('x').oauth2, clientSecret: undefined },
      },
      path: '/config/oauth2/clientSecret',
    },
  ],
  // Upserts by external id: a customer is its Contact path; a purchase, its composite's first sub-request.
  target: {
    keyOf: (call) => {
      if (call.method === 'PATCH') return call.path;
      try {
        return (JSON.parse(call.body) as { compositeRequest?: Array<{ url: string }> }).compositeRequest?.[0]
          ?.url;
      } catch {
        return undefined;
      }
    },
    verify: (call) => (/^Bearer \S+$/.test(call.headers.authorization ?? '') ? undefined : 'no bearer token'),
  },
  expectRequests(event, calls) {
    const call = calls[0]!;
    if (event.type === 'customer.upserted.v1') {
      expect(call).toMatchObject({
        method: 'PATCH',
        path: '/services/data/v62.0/sobjects/Contact/Poshub_Customer_Id__c/CUST-0042-7781',
      });
    } else {
      expect(call).toMatchObject({ method: 'POST', path: '/services/data/v62.0/composite' });
    }
  },
});
