import { join } from 'node:path';
import { consumerPact, MatchersV3 } from '@poshub/contracts/consumer-pact.ts';
import { showcaseConfigs } from '@poshub/contracts/showcase-configs.ts';
import { showcaseEvents } from '@poshub/contracts/showcase-events.ts';
import { type CanonicalEvent, startConnector } from '@poshub/sdk';
import { describe, expect, it } from 'vitest';
import { shopifyInventoryConnector } from './shopify-inventory-connector.ts';

const { like, eachLike, regex, integer } = MatchersV3;

// The Shopify inventory connector as a consumer of the Shopify Admin GraphQL API 2026-10 (HTTP pact),
// written from Shopify's reference: the inventoryAdjustQuantities mutation with the @idempotent directive,
// userErrors, and the THROTTLED error with the query cost extension. Every call is a POST to the same
// endpoint, so the interactions differ by the mutation text and the reason. No shop is reachable from
// here: the pact awaits verification against a development store (contracts/pact-manifest.ts).
const { pact } = consumerPact({
  consumer: { name: 'poshub-connector-inventory-shopify', packageDir: join(import.meta.dirname, '..') },
  provider: { name: 'shopify-admin-graphql-api' },
});

const { sale, ret } = showcaseEvents();
const GRAPHQL = '/admin/api/2026-10/graphql.json';
const ADJUST = `mutation PoshubAdjust($input: InventoryAdjustQuantitiesInput!, $key: String!) {
  inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id }
    userErrors { code field message }
  }
}`;

function deliver(url: string, event: CanonicalEvent) {
  const config = showcaseConfigs({ shopify: url } as never, {} as never)['inventory-shopify'];
  const started = startConnector(shopifyInventoryConnector, config, { log: { sink() {} } });
  if (!started.ok) throw new Error(JSON.stringify(started.problems));
  return started.target.handle(event, {
    idempotencyKey: `pact-${event.id}`,
    attempt: 1,
    signal: new AbortController().signal,
  });
}

const headers = {
  'x-shopify-access-token': regex(/^shpat_\S+$/, 'shpat_0123456789abcdef'),
  'content-type': regex(/^application\/json/, 'application/json'),
};
const gid = (type: string, id: number) =>
  regex(new RegExp(`^gid://shopify/${type}/\\d+$`), `gid://shopify/${type}/${id}`);

/** inventoryAdjustQuantities of the available quantity, one change per line, keyed by the delivery. */
const adjust = (reason: 'other' | 'restock', delta: number, location: number, event: CanonicalEvent) => ({
  query: ADJUST,
  variables: {
    key: regex(/^\S{1,255}$/, `pact-${event.id}`),
    input: {
      name: 'available',
      reason,
      referenceDocumentUri: regex(
        /^gid:\/\/poshub\/\S+$/,
        `gid://poshub/${event.type.split('.')[0]}/${event.id}`,
      ),
      changes: eachLike({
        delta: integer(delta),
        inventoryItemId: gid('InventoryItem', 5001),
        locationId: gid('Location', location),
      }),
    },
  },
});
const adjusted = {
  data: {
    inventoryAdjustQuantities: {
      inventoryAdjustmentGroup: { id: gid('InventoryAdjustmentGroup', 90210) },
      userErrors: [],
    },
  },
};

describe('inventory-shopify → Shopify Admin GraphQL API (HTTP pact)', () => {
  it("takes a sale's items out of the store's available stock", async () => {
    await pact
      .addInteraction()
      .given('the shop stocks the items at the store locations')
      .uponReceiving('an inventoryAdjustQuantities for a POS sale')
      .withRequest('POST', GRAPHQL, (b) => b.headers(headers).jsonBody(adjust('other', -1, 1001, sale)))
      .willRespondWith(200, (b) => b.jsonBody(adjusted))
      .executeTest(async (server) => {
        expect(await deliver(server.url, sale)).toEqual({ ok: true });
      });
  });

  it('puts a restocked return back into the available stock of the store it was returned to', async () => {
    await pact
      .addInteraction()
      .given('the shop stocks the items at the store locations')
      .uponReceiving('an inventoryAdjustQuantities restocking a POS return')
      .withRequest('POST', GRAPHQL, (b) => b.headers(headers).jsonBody(adjust('restock', 1, 1007, ret)))
      .willRespondWith(200, (b) => b.jsonBody(adjusted))
      .executeTest(async (server) => {
        expect(await deliver(server.url, ret)).toEqual({ ok: true });
      });
  });

  it('dead-letters a change Shopify refuses with a user error (item not stocked at the location)', async () => {
    await pact
      .addInteraction()
      .given('an item is not stocked at the store location')
      .uponReceiving('an inventoryAdjustQuantities for an item not stocked there')
      .withRequest('POST', GRAPHQL, (b) => b.headers(headers).jsonBody(adjust('other', -1, 1001, sale)))
      .willRespondWith(200, (b) =>
        b.jsonBody({
          data: {
            inventoryAdjustQuantities: {
              inventoryAdjustmentGroup: null,
              userErrors: eachLike({
                code: 'ITEM_NOT_STOCKED_AT_LOCATION',
                field: eachLike('input'),
                message: like('The specified inventory item is not stocked at the location.'),
              }),
            },
          },
        }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, sale)).toMatchObject({
          ok: false,
          error: { retryable: false, type: 'shopify_item_not_stocked_at_location' },
        });
      });
  });

  it('retries when the query cost bucket is empty (THROTTLED), after it refills', async () => {
    await pact
      .addInteraction()
      .given('the app has used up its query cost bucket')
      .uponReceiving('an inventoryAdjustQuantities while throttled')
      .withRequest('POST', GRAPHQL, (b) => b.headers(headers).jsonBody(adjust('other', -1, 1001, sale)))
      .willRespondWith(200, (b) =>
        b.jsonBody({
          errors: eachLike({ message: like('Throttled'), extensions: { code: 'THROTTLED' } }),
          extensions: {
            cost: {
              requestedQueryCost: integer(10),
              actualQueryCost: null,
              throttleStatus: {
                maximumAvailable: integer(2000),
                currentlyAvailable: integer(4),
                restoreRate: integer(100),
              },
            },
          },
        }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, sale)).toMatchObject({
          ok: false,
          error: { retryable: true, type: 'shopify_throttled' },
        });
      });
  });
});
