import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ClientAuthentication, createOidcIssuer } from '@poshub/local-services/oidc-issuer';
import { createSigningKey } from '@poshub/local-services/signing-keys';

/** A client of the stand-in token endpoint: what it may ask for and how it authenticates. */
export interface VendorTokenClient {
  clientId: string;
  /** The API (resource indicator) its tokens are for, and the scope it asks for. */
  audience: string;
  scope: string;
  /** Default: client_secret_basic with `clientSecret`. */
  authentication?: ClientAuthentication;
  clientSecret?: string;
}

/** A running token endpoint. */
export interface VendorTokenIssuer {
  issuer: string;
  tokenEndpoint: string;
  close(): Promise<void>;
}

/**
 * A vendor's OAuth 2.0 token endpoint, stood in for by the real local issuer (oidc-provider, in-process, on
 * loopback): the vendor pacts cover the vendors' data APIs, not their token endpoints, so connectors that
 * authenticate with client credentials (NetSuite with private_key_jwt, Salesforce, commercetools) get real
 * tokens from here in their pact and end-to-end tests.
 */
export async function startVendorTokenIssuer(clients: VendorTokenClient[]): Promise<VendorTokenIssuer> {
  let handler: Parameters<typeof createServer>[1] & object = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handler = createOidcIssuer({
    issuer,
    keys: [await createSigningKey()],
    config: {
      resourceServers: clients.map((c) => ({
        audience: c.audience,
        scopes: [c.scope],
        accessTokenTtlSeconds: 600,
      })),
      clients: clients.map((c) => ({
        clientId: c.clientId,
        clientSecret: c.clientSecret ?? 'unused',
        scopes: [c.scope],
        audiences: [c.audience],
      })),
    },
    clientAuthentication: Object.fromEntries(
      clients.filter((c) => c.authentication).map((c) => [c.clientId, c.authentication!]),
    ),
  }).callback();
  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
