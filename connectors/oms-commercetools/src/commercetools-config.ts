import { httpsUrl, OAuth2ClientConfig, z } from '@poshub/sdk';

/**
 * The commercetools connector's config: the API URL of the project's region, the project key, and the API
 * client's credentials (client credentials grant at https://auth.{region}.commercetools.com/oauth/token,
 * scope manage_orders:{projectKey}).
 */
export const CommercetoolsConfig = z.strictObject({
  /** e.g. https://api.europe-west1.gcp.commercetools.com */
  apiUrl: httpsUrl(),
  projectKey: z.string().regex(/^[a-z0-9_-]{2,256}$/, 'must be a commercetools project key'),
  oauth2: OAuth2ClientConfig,
  /** Also move the order to Complete when a click-and-collect order is picked up. */
  completeOnPickup: z.boolean().default(true),
  timeoutMs: z.number().int().min(1000).max(60_000).default(15_000),
});
export type CommercetoolsConfig = z.output<typeof CommercetoolsConfig>;
