import { httpsUrl, secret, z } from '@poshub/sdk';

const Gid = (kind: string) =>
  z
    .string()
    .regex(
      new RegExp(`^gid://shopify/${kind}/[0-9]+$`),
      `must be a Shopify ${kind} GID (gid://shopify/${kind}/123)`,
    );

/**
 * The Shopify inventory connector's config: the shop, the Admin API access token of a custom app with
 * write_inventory, which poshub locations (store ids, or the location ids of inventory events) are which
 * Shopify locations, and optionally the inventory items of known SKUs (others are looked up by SKU).
 */
export const ShopifyInventoryConfig = z.strictObject({
  /** e.g. acme.myshopify.com */
  shop: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "must be the shop's myshopify.com domain"),
  /** The GraphQL endpoint, https://{shop}/admin/api/{apiVersion}/graphql.json by default; set only for a test double. */
  adminUrl: httpsUrl().optional(),
  apiVersion: z
    .string()
    .regex(/^\d{4}-(01|04|07|10)$/, 'must be a Shopify API version such as 2026-10')
    .default('2026-10'),
  accessToken: secret(z.string().min(10)),
  /** poshub location (store id) -> Shopify location. Events at other locations are refused as unmapped. */
  locations: z
    .record(z.string().min(1), Gid('Location'))
    .refine((l) => Object.keys(l).length > 0, 'map at least one location'),
  /** SKU -> inventory item, for catalogs that know them; other SKUs are looked up once and remembered. */
  items: z.record(z.string().min(1), Gid('InventoryItem')).default({}),
  /** A return whose lines do not say whether the goods go back to stock is restocked. */
  restockWhenUnknown: z.boolean().default(true),
  timeoutMs: z.number().int().min(1000).max(60_000).default(15_000),
});
export type ShopifyInventoryConfig = z.output<typeof ShopifyInventoryConfig>;

/** The Admin GraphQL endpoint of the configured shop. */
export function graphqlUrlOf(config: ShopifyInventoryConfig): string {
  return config.adminUrl ?? `https://${config.shop}/admin/api/${config.apiVersion}/graphql.json`;
}
