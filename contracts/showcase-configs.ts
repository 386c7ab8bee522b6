import { generateKeyPairSync } from 'node:crypto';
import { startVendorTokenIssuer } from './vendor-token-issuer.ts';

/** Where the reference connectors' vendors are for one run (Pact mock servers, or gates in front of them). */
export interface ShowcaseUrls {
  netsuite: string;
  s4hana: string;
  salesforce: string;
  square: string;
  shopify: string;
  commercetools: string;
}

/** The token endpoint the client-credentials connectors use (see vendor-token-issuer.ts). */
export interface ShowcaseIssuer {
  issuer: string;
  tokenEndpoint: string;
  /** NetSuite's private_key_jwt key (a private JWK) whose public half the issuer holds as kid cert-1. */
  netsuiteKey: Record<string, unknown>;
}

/** The audiences (resource indicators) the issuer mints tokens for, one per API. */
export const SHOWCASE_AUDIENCES = {
  netsuite: 'https://1234567-sb1.suitetalk.api.netsuite.com',
  salesforce: 'https://acme.my.salesforce.com',
  commercetools: 'https://api.europe-west1.gcp.commercetools.com',
} as const;

/**
 * The configs of the six reference connectors as the HTTP pacts were written with them, by connector id:
 * the pact tests and the showcase end-to-end test use the same ones, so the literal parts of each request
 * (subsidiary, plants, locations, project key...) are the same in both. Plain data, checked by each
 * connector's own config schema when it starts.
 */
export function showcaseConfigs(urls: ShowcaseUrls, issuer: ShowcaseIssuer): Record<string, unknown> {
  return {
    'erp-netsuite': {
      accountId: '1234567_SB1',
      restUrl: `${urls.netsuite}/services/rest`,
      oauth2: {
        issuer: issuer.issuer,
        tokenEndpoint: issuer.tokenEndpoint,
        clientId: 'poshub-netsuite',
        authMethod: 'private_key_jwt',
        privateKey: issuer.netsuiteKey,
        keyId: 'cert-1',
        scope: 'rest_webservices',
        resource: SHOWCASE_AUDIENCES.netsuite,
      },
      subsidiaryId: '1',
      walkInCustomerId: '42',
      locations: { '0042': '7', '0107': '9' },
      timeoutMs: 5000,
    },
    'erp-sap-s4hana': {
      baseUrl: urls.s4hana,
      user: 'POSHUB_COMM_USER',
      password: 'comm-user-password',
      salesOrganization: '1010',
      distributionChannel: '10',
      organizationDivision: '00',
      soldToParty: '1000001',
      plants: { '0042': '1010', '0107': '1020' },
      timeoutMs: 5000,
    },
    'crm-salesforce': {
      instanceUrl: urls.salesforce,
      oauth2: {
        issuer: issuer.issuer,
        tokenEndpoint: issuer.tokenEndpoint,
        clientId: 'poshub-crm',
        authMethod: 'client_secret_post',
        clientSecret: 'crm-secret',
        scope: 'api',
        resource: SHOWCASE_AUDIENCES.salesforce,
      },
      timeoutMs: 5000,
    },
    'loyalty-square': {
      baseUrl: urls.square,
      accessToken: 'EAAAl-showcase-token',
      locations: { '0042': 'P034NEENMD09F', '0107': 'P034NEENMD10X' },
      spendPerPoint: '1.00',
      pointValue: '0.01',
      timeoutMs: 5000,
    },
    'inventory-shopify': {
      shop: 'acme-outfitters.myshopify.com',
      adminUrl: `${urls.shopify}/admin/api/2026-10/graphql.json`,
      accessToken: 'shpat_0123456789abcdef',
      locations: { '0042': 'gid://shopify/Location/1001', '0107': 'gid://shopify/Location/1007' },
      items: {
        'TSHIRT-M-BLU': 'gid://shopify/InventoryItem/5001',
        'JEANS-32-IND': 'gid://shopify/InventoryItem/5002',
      },
      timeoutMs: 5000,
    },
    'oms-commercetools': {
      apiUrl: urls.commercetools,
      projectKey: 'acme-prod',
      oauth2: {
        issuer: issuer.issuer,
        tokenEndpoint: issuer.tokenEndpoint,
        clientId: 'poshub-oms',
        authMethod: 'client_secret_basic',
        clientSecret: 'oms-secret',
        scope: 'manage_orders:acme-prod',
        resource: SHOWCASE_AUDIENCES.commercetools,
      },
      timeoutMs: 5000,
    },
  };
}

/**
 * The token endpoint for the showcase connectors (NetSuite with private_key_jwt, Salesforce with
 * client_secret_post, commercetools with client_secret_basic), with a fresh NetSuite key pair.
 */
export async function startShowcaseIssuer(): Promise<ShowcaseIssuer & { close(): Promise<void> }> {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const started = await startVendorTokenIssuer([
    {
      clientId: 'poshub-netsuite',
      audience: SHOWCASE_AUDIENCES.netsuite,
      scope: 'rest_webservices',
      authentication: {
        method: 'private_key_jwt',
        jwks: { keys: [{ ...key.publicKey.export({ format: 'jwk' }), kid: 'cert-1' }] },
      },
    },
    {
      clientId: 'poshub-crm',
      audience: SHOWCASE_AUDIENCES.salesforce,
      scope: 'api',
      clientSecret: 'crm-secret',
      authentication: { method: 'client_secret_post' },
    },
    {
      clientId: 'poshub-oms',
      audience: SHOWCASE_AUDIENCES.commercetools,
      scope: 'manage_orders:acme-prod',
      clientSecret: 'oms-secret',
    },
  ]);
  return { ...started, netsuiteKey: key.privateKey.export({ format: 'jwk' }) as Record<string, unknown> };
}
