import { runConnectorConformance } from '@poshub/sdk/testing';
import { expect } from 'vitest';
import { inventoryFixtures } from './inventory-fixtures.ts';
import { shopifyInventoryConnector } from './shopify-inventory-connector.ts';

const valid = (adminUrl: string) => ({
  shop: 'acme-outfitters.myshopify.com',
  adminUrl,
  accessToken: 'shpat_0123456789abcdef',
  locations: { '0042': 'gid://shopify/Location/1001', WH1: 'gid://shopify/Location/1002' },
  items: { 'TSHIRT-M-BLU': 'gid://shopify/InventoryItem/5001' },
  timeoutMs: 1000,
});

runConnectorConformance({
  connector: shopifyInventoryConnector,
  fixtures: inventoryFixtures(),
  validConfig: ({ url }) => valid(`${url}/admin/api/2026-10/graphql.json`),
  invalidConfigs: [
    {
      name: 'a shop that is not a myshopify domain',
      config: { ...valid('https://x.example.test'), shop: 'acme.com' },
      path: '/config/shop',
    },
    {
      name: 'no access token',
      config: { ...valid('https://x.example.test'), accessToken: undefined },
      path: '/config/accessToken',
    },
    {
      name: 'a location that is not a Shopify GID',
      config: { ...valid('https://x.example.test'), locations: { '0042': '1001' } },
      path: '/config/locations/0042',
    },
    {
      name: 'an unknown API version',
      config: { ...valid('https://x.example.test'), apiVersion: '2026-05' },
      path: '/config/apiVersion',
    },
  ],
  // Shopify's idempotency key travels in the mutation's @idempotent directive (a GraphQL variable here).
  target: {
    okBody: JSON.stringify({ data: {} }),
    keyOf: (call) => {
      try {
        return (JSON.parse(call.body) as { variables?: { key?: string } }).variables?.key;
      } catch {
        return undefined;
      }
    },
    verify: (call) => (call.headers['x-shopify-access-token'] ? undefined : 'no access token'),
  },
  expectRequests(event, calls) {
    const body = JSON.parse(calls.at(-1)!.body) as {
      query: string;
      variables: { input: Record<string, unknown> };
    };
    expect(body.query).toContain('@idempotent(key: $key)');
    expect(body.query).toContain(
      event.type === 'inventory.counted.v1' ? 'inventorySetQuantities' : 'inventoryAdjustQuantities',
    );
    expect(body.variables.input.referenceDocumentUri).toMatch(/^gid:\/\/poshub\//);
  },
});
