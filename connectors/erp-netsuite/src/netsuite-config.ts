import { httpsUrl, OAuth2ClientConfig, z } from '@poshub/sdk';

/** A NetSuite account id as it appears in its URLs: `1234567`, or `1234567_SB1` for a sandbox. */
const AccountId = z.string().regex(/^[0-9]+(_[A-Z]+[0-9]*)?$/i, 'must look like 1234567 or 1234567_SB1');
const InternalId = z.string().regex(/^[0-9]+$/, 'must be a NetSuite internal id (digits)');

/**
 * The NetSuite connector's config. Stores map to NetSuite locations; sales post against one walk-in
 * customer unless the POS names a customer NetSuite knows by external id; items are referenced by their
 * external id, which must be the SKU (the usual way an item master is loaded into NetSuite).
 */
export const NetSuiteConfig = z.strictObject({
  accountId: AccountId,
  /**
   * The REST base, `https://<account>.suitetalk.api.netsuite.com/services/rest` by default. Set only to
   * point at a test double.
   */
  restUrl: httpsUrl().optional(),
  /** OAuth 2.0 client credentials (M2M): private_key_jwt with the certificate id as keyId. */
  oauth2: OAuth2ClientConfig,
  subsidiaryId: InternalId,
  /** The customer sales post against when the POS names none. */
  walkInCustomerId: InternalId,
  /** poshub store id -> NetSuite location internal id. A store missing here is a permanent error. */
  locations: z
    .record(z.string().min(1), InternalId)
    .refine((l) => Object.keys(l).length > 0, 'map at least one store'),
  /** Prefix of the external ids poshub gives records, so they never clash with other integrations. */
  externalIdPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,20}$/)
    .default('poshub'),
  /** Time limit of one NetSuite request. */
  timeoutMs: z.number().int().min(1000).max(120_000).default(30_000),
});
export type NetSuiteConfig = z.output<typeof NetSuiteConfig>;

/** Where the REST API of the configured account lives. */
export function restBaseOf(config: NetSuiteConfig): string {
  return (
    config.restUrl?.replace(/\/+$/, '') ??
    `https://${config.accountId.toLowerCase().replace(/_/g, '-')}.suitetalk.api.netsuite.com/services/rest`
  );
}
