import { httpsUrl, secret, z } from '@poshub/sdk';

const Decimal = z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal such as 1.00');

/**
 * The Square Loyalty connector's config: the access token, which Square location each store is, and the
 * program's rules as poshub applies them to POS purchases Square never saw (Square computes points only
 * for its own orders): spend per point, and what a point is worth when a purchase is paid with points.
 */
export const SquareLoyaltyConfig = z.strictObject({
  /** https://connect.squareup.com by default (https://connect.squareupsandbox.com for the sandbox). */
  baseUrl: httpsUrl().default('https://connect.squareup.com'),
  squareVersion: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a Square API version date such as 2025-10-16')
    .default('2025-10-16'),
  accessToken: secret(z.string().min(10)),
  /** poshub store id -> Square location id. */
  locations: z
    .record(z.string().min(1), z.string().min(1))
    .refine((l) => Object.keys(l).length > 0, 'map at least one store'),
  /** One point per this much spend, in the transaction's currency (e.g. "1.00": a point per dollar). */
  spendPerPoint: Decimal,
  /** What one point pays when a purchase is paid with points (e.g. "0.01"). */
  pointValue: Decimal,
  timeoutMs: z.number().int().min(1000).max(60_000).default(10_000),
});
export type SquareLoyaltyConfig = z.output<typeof SquareLoyaltyConfig>;
