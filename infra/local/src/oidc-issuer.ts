import { randomBytes } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';
import type { IssuerConfig } from './issuer-config.ts';
import { SIGNING_ALG, type SigningJwk } from './signing-keys.ts';

/** How a client authenticates at the token endpoint (default: client_secret_basic with its secret). */
export interface ClientAuthentication {
  method: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  /** The client's public keys, for private_key_jwt (its clientSecret is then not used). */
  jwks?: { keys: Record<string, unknown>[] };
}

/** What an issuer is built from: its public URL, its clients and APIs, and its keys (newest first). */
export interface OidcIssuerOptions {
  issuer: string;
  config: IssuerConfig;
  keys: SigningJwk[];
  /** Per client id, for clients that do not use client_secret_basic. */
  clientAuthentication?: Record<string, ClientAuthentication>;
}

/**
 * An oidc-provider instance issuing JWT access tokens to machine clients (client_credentials), one
 * audience per token chosen by RFC 8707 resource indicators, signed with the newest key while older
 * keys stay in the JWKS.
 */
export function createOidcIssuer({
  issuer,
  config,
  keys,
  clientAuthentication,
}: OidcIssuerOptions): Provider {
  const signingKid = keys[0]?.kid;
  if (!signingKid) throw new Error('the issuer needs at least one signing key');
  const resources = new Map(config.resourceServers.map((r) => [r.audience, r]));
  const clients = new Map(config.clients.map((c) => [c.clientId, c]));
  const allScopes = [...new Set(config.resourceServers.flatMap((r) => r.scopes))];

  return new Provider(issuer, {
    clients: config.clients.map((c) => {
      const auth = clientAuthentication?.[c.clientId];
      const method = auth?.method ?? 'client_secret_basic';
      return {
        client_id: c.clientId,
        ...(method === 'private_key_jwt'
          ? { jwks: auth?.jwks ?? { keys: [] } }
          : { client_secret: c.clientSecret }),
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: method,
        // With every resource scope declared below, asking for a scope outside this list is invalid_scope.
        scope: c.scopes.join(' '),
      };
    }),
    scopes: ['openid', ...allScopes],
    jwks: { keys },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // The lifetime is the resource server's (accessTokenTTL below); this only covers tokens without one.
    ttl: { ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 3600 },
    // A till's token names the stores it may post for; the hub refuses other stores (403).
    extraTokenClaims: (_ctx, token) => {
      const stores = clients.get(String(token.clientId))?.stores;
      return stores ? { stores } : undefined;
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, client) => clients.get(client.clientId)?.audiences[0],
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, audience, client) => {
          const resource = resources.get(audience);
          const allowed = clients.get(client.clientId);
          if (!resource || !allowed?.audiences.includes(audience)) {
            throw new errors.InvalidTarget(
              `client ${client.clientId} may not request tokens for ${audience}`,
            );
          }
          return {
            audience,
            scope: resource.scopes.filter((s) => allowed.scopes.includes(s)).join(' '),
            accessTokenFormat: 'jwt',
            accessTokenTTL: resource.accessTokenTtlSeconds ?? 3600,
            jwt: { sign: { alg: SIGNING_ALG, kid: signingKid } },
          };
        },
      },
    },
  });
}
