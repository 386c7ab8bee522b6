import { defineConnector, type Failure, permanent, retryable } from '@poshub/sdk';
import { shopifyGraphql } from './shopify-graphql.ts';
import { graphqlUrlOf, ShopifyInventoryConfig } from './shopify-inventory-config.ts';
import { stockChangesOf } from './stock-changes.ts';

const ADJUST = `mutation PoshubAdjust($input: InventoryAdjustQuantitiesInput!, $key: String!) {
  inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id }
    userErrors { code field message }
  }
}`;
const SET = `mutation PoshubSet($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id }
    userErrors { code field message }
  }
}`;
const LOOKUP = `query PoshubSkus($query: String!, $first: Int!) {
  productVariants(first: $first, query: $query) { nodes { sku inventoryItem { id } } }
}`;

interface UserError {
  code?: string;
  message: string;
}
type MutationData = Record<string, { userErrors?: UserError[] } | undefined>;

// SKU -> inventory item, per shop, learned from lookups (SKUs do not move between items in practice).
const learned = new Map<string, Map<string, string>>();

/** User errors Shopify clears by itself: a concurrent request with the same key. */
const RETRYABLE_USER_ERRORS = new Set(['IDEMPOTENCY_CONCURRENT_REQUEST', 'INTERNAL_LEDGER_DOCUMENT']);

/**
 * Shopify inventory (Admin GraphQL API, 2026-10): POS sales take stock out of the store's Shopify location,
 * restocked returns put it back, adjustments and transfers apply their deltas, counts set on-hand levels.
 * Every mutation carries the delivery's idempotency key in Shopify's `@idempotent` directive (required
 * from API 2026-04), so a retry or replay applies a delta once. SKUs resolve to inventory items from the
 * config or one `productVariants` lookup per unknown SKU, remembered.
 */
export const shopifyInventoryConnector = defineConnector({
  id: 'inventory-shopify',
  version: '0.1.0',
  coreCompat: '^0.1.0',
  role: 'inventory',
  capabilities: { idempotentWrites: true },
  config: ShopifyInventoryConfig,
  subscribes: {
    types: [
      'sale.completed.v1',
      'return.completed.v1',
      'inventory.adjusted.v1',
      'inventory.transferred.v1',
      'inventory.counted.v1',
    ],
  },
  delivery: (config) => ({ timeoutMs: config.timeoutMs * 2 + 2_000, maxInFlight: 4 }),
  async handle(event, ctx) {
    const { change, skipped } = stockChangesOf(event, { restockWhenUnknown: ctx.config.restockWhenUnknown });
    for (const s of skipped) ctx.log.info('line not counted by Shopify', { line: s.line, why: s.why });
    if (!change) return { ok: true };
    const call = {
      url: graphqlUrlOf(ctx.config),
      accessToken: ctx.config.accessToken,
      timeoutMs: ctx.config.timeoutMs,
      now: ctx.clock.now(),
    };

    const entries = change.kind === 'adjust' ? change.deltas : change.levels;
    for (const e of entries) {
      if (!ctx.config.locations[e.location]) {
        return permanent('unmapped_location', `location ${e.location} has no Shopify location in the config`);
      }
    }
    const known = learned.get(ctx.config.shop) ?? new Map(Object.entries(ctx.config.items));
    learned.set(ctx.config.shop, known);
    for (const [sku, id] of Object.entries(ctx.config.items)) known.set(sku, id);
    const unknown = [...new Set(entries.map((e) => e.sku))].filter((sku) => !known.has(sku));
    if (unknown.length > 0) {
      const found = await shopifyGraphql<{
        productVariants?: { nodes: Array<{ sku: string; inventoryItem: { id: string } }> };
      }>(ctx.http, call, LOOKUP, {
        query: unknown.map((s) => `sku:${JSON.stringify(s)}`).join(' OR '),
        first: Math.min(250, unknown.length * 2),
      });
      if (!found.ok) return found;
      for (const n of found.data.productVariants?.nodes ?? [])
        if (n.sku) known.set(n.sku, n.inventoryItem.id);
      const missing = unknown.filter((s) => !known.has(s));
      if (missing.length > 0)
        return permanent('unknown_sku', `Shopify has no variant with SKU ${missing.join(', ')}`);
    }

    const key = ctx.idempotencyKey;
    const result =
      change.kind === 'adjust'
        ? await shopifyGraphql<MutationData>(ctx.http, call, ADJUST, {
            key,
            input: {
              name: 'available',
              reason: change.reason,
              referenceDocumentUri: change.reference,
              changes: change.deltas.map((d) => ({
                delta: d.delta,
                inventoryItemId: known.get(d.sku),
                locationId: ctx.config.locations[d.location],
              })),
            },
          })
        : await shopifyGraphql<MutationData>(ctx.http, call, SET, {
            key,
            input: {
              name: 'on_hand',
              reason: change.reason,
              referenceDocumentUri: change.reference,
              quantities: change.levels.map((l) => ({
                quantity: l.quantity,
                inventoryItemId: known.get(l.sku),
                locationId: ctx.config.locations[l.location],
                // A count is the truth whatever the level was: no compare-and-set.
                changeFromQuantity: null,
              })),
            },
          });
    if (!result.ok) return result;
    const payload =
      result.data[change.kind === 'adjust' ? 'inventoryAdjustQuantities' : 'inventorySetQuantities'];
    return userErrorsResult(payload?.userErrors ?? []) ?? { ok: true };
  },
});

function userErrorsResult(errors: UserError[]): Failure | undefined {
  const first = errors[0];
  if (!first) return undefined;
  const type = `shopify_${(first.code ?? 'user_error').toLowerCase()}`;
  return first.code && RETRYABLE_USER_ERRORS.has(first.code)
    ? retryable(type, first.message)
    : permanent(type, first.message.slice(0, 300));
}
