import { httpsUrl, secret, z } from '@poshub/sdk';

/**
 * The S/4HANA connector's config: the system's URL and a communication user (basic authentication, as a
 * communication arrangement gives it), the sales area, the sold-to party POS sales post against, and
 * store -> plant mapping. Materials are the POS SKUs.
 */
export const S4HanaConfig = z.strictObject({
  /** e.g. https://my123456-api.s4hana.cloud.sap */
  baseUrl: httpsUrl(),
  user: z.string().min(1),
  password: secret(z.string().min(1)),
  salesOrderType: z
    .string()
    .regex(/^[A-Z0-9]{2,4}$/)
    .default('OR'),
  customerReturnType: z
    .string()
    .regex(/^[A-Z0-9]{2,4}$/)
    .default('CBAR'),
  salesOrganization: z.string().regex(/^[A-Z0-9]{1,4}$/),
  distributionChannel: z.string().regex(/^[A-Z0-9]{2}$/),
  organizationDivision: z.string().regex(/^[A-Z0-9]{2}$/),
  /** The one-time / walk-in customer POS sales are sold to. */
  soldToParty: z.string().regex(/^[A-Z0-9]{1,10}$/),
  /** poshub store id -> plant. */
  plants: z
    .record(z.string().min(1), z.string().regex(/^[A-Z0-9]{4}$/, 'must be a 4-character plant'))
    .refine((p) => Object.keys(p).length > 0, 'map at least one store'),
  /** The manual price condition each item's POS net amount goes in as. */
  priceConditionType: z
    .string()
    .regex(/^[A-Z0-9]{4}$/)
    .default('PMP0'),
  /** Return reason code on customer returns (customizing). */
  returnReason: z.string().max(3).default('101'),
  timeoutMs: z.number().int().min(1000).max(120_000).default(30_000),
});
export type S4HanaConfig = z.output<typeof S4HanaConfig>;
