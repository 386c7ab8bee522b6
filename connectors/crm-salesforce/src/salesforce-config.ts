import { httpsUrl, OAuth2ClientConfig, z } from '@poshub/sdk';

const ApiName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a Salesforce API name');

/**
 * The Salesforce connector's config: the org's My Domain URL, the API version, the connected app's client
 * credentials, and the API names of the objects and external id fields it writes (defaults follow the
 * package described in the README).
 */
export const SalesforceConfig = z.strictObject({
  /** e.g. https://acme.my.salesforce.com */
  instanceUrl: httpsUrl(),
  apiVersion: z
    .string()
    .regex(/^v\d{2,3}\.0$/, 'must look like v62.0')
    .default('v62.0'),
  /** OAuth 2.0 client credentials flow of a connected app (token endpoint {instanceUrl}/services/oauth2/token). */
  oauth2: OAuth2ClientConfig,
  contact: z
    .strictObject({ externalIdField: ApiName.default('Poshub_Customer_Id__c') })
    .default({ externalIdField: 'Poshub_Customer_Id__c' }),
  purchase: z
    .strictObject({
      object: ApiName.default('POS_Purchase__c'),
      externalIdField: ApiName.default('Poshub_Transaction_Id__c'),
      /** The purchase's lookup to Contact, as a relationship name. */
      contactRelationship: ApiName.default('Contact__r'),
      lineObject: ApiName.default('POS_Purchase_Line__c'),
      lineExternalIdField: ApiName.default('Poshub_Line_Id__c'),
      /** The line's master-detail field to the purchase. */
      linePurchaseField: ApiName.default('Purchase__c'),
    })
    .default({
      object: 'POS_Purchase__c',
      externalIdField: 'Poshub_Transaction_Id__c',
      contactRelationship: 'Contact__r',
      lineObject: 'POS_Purchase_Line__c',
      lineExternalIdField: 'Poshub_Line_Id__c',
      linePurchaseField: 'Purchase__c',
    }),
  timeoutMs: z.number().int().min(1000).max(120_000).default(20_000),
});
export type SalesforceConfig = z.output<typeof SalesforceConfig>;
