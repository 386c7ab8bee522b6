import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';

/** Scopes the hub knows. */
export const SCOPES = ['pos:write', 'erp:batch', 'admin:read', 'admin:write'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling, from a verified token. */
export interface Principal {
  clientId: string;
  scopes: Set<string>;
  /** Stores the client may post for; undefined = any store (back-office clients). */
  stores: Set<string> | undefined;
}

/** Why a bearer token was refused; `status` is what the HTTP edge answers. */
export interface AuthFailure {
  status: 401 | 403;
  reason: string;
}

// Asymmetric algorithms only: HS* with a public key as secret and "none" are refused by construction.
const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];

/** Verifies bearer tokens against one issuer's JWKS. */
export interface TokenVerifier {
  verify(
    authorization: string | undefined,
  ): Promise<{ ok: true; principal: Principal } | { ok: false; failure: AuthFailure }>;
}

/** Where the keys come from: the issuer's JWKS URL (refetched on an unknown kid, with a cooldown) or a local set. */
export type KeySource = { jwksUri: string; cooldownMs?: number } | { jwks: JSONWebKeySet };

/** A verifier for tokens from `issuer` meant for `audience`. */
export function createTokenVerifier(opts: {
  issuer: string;
  audience: string;
  keys: KeySource;
  leewaySeconds?: number;
}): TokenVerifier {
  const getKey: JWTVerifyGetKey =
    'jwksUri' in opts.keys
      ? createRemoteJWKSet(new URL(opts.keys.jwksUri), {
          cooldownDuration: opts.keys.cooldownMs ?? 30_000,
          timeoutDuration: 5_000,
        })
      : createLocalJWKSet(opts.keys.jwks);
  // A till sends the same token with every request: a verified token is remembered until it expires (at
  // most a minute), so the signature check runs once per token, not once per sale.
  const verified = new Map<string, { principal: Principal; until: number }>();
  return {
    async verify(authorization) {
      const match = /^Bearer\s+([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)\s*$/i.exec(
        authorization ?? '',
      );
      if (!match)
        return {
          ok: false,
          failure: { status: 401, reason: 'a bearer token is required (Authorization: Bearer <JWT>)' },
        };
      const remembered = verified.get(match[1]!);
      if (remembered && remembered.until > Date.now()) return { ok: true, principal: remembered.principal };
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(match[1]!, getKey, {
          issuer: opts.issuer,
          audience: opts.audience,
          algorithms: ALGORITHMS,
          clockTolerance: opts.leewaySeconds ?? 30,
          requiredClaims: ['exp'],
        }));
      } catch (error) {
        return { ok: false, failure: { status: 401, reason: describe(error) } };
      }
      const scopes = new Set(
        String(payload.scope ?? '')
          .split(/\s+/)
          .filter(Boolean),
      );
      const storesClaim = payload.stores ?? payload.store;
      const stores =
        storesClaim === undefined
          ? undefined
          : new Set((Array.isArray(storesClaim) ? storesClaim : [storesClaim]).map(String));
      const clientId = String(payload.client_id ?? payload.azp ?? payload.sub ?? 'unknown');
      const principal = { clientId, scopes, stores };
      if (verified.size >= 10_000) verified.clear();
      verified.set(match[1]!, { principal, until: Math.min((payload.exp ?? 0) * 1000, Date.now() + 60_000) });
      return { ok: true, principal };
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'the token is not valid yet (nbf)';
    return `the token's ${error.claim} claim is not accepted`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return 'the token is signed with an algorithm that is not allowed';
  if (error instanceof errors.JWKSNoMatchingKey)
    return 'the token is signed with a key the issuer does not publish';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JWKSTimeout) return 'the issuer did not answer in time';
  return 'the token is not a valid JWT';
}

/** 403 unless the principal holds `scope`. */
export function requireScope(principal: Principal, scope: Scope): AuthFailure | undefined {
  return principal.scopes.has(scope) ? undefined : { status: 403, reason: `this needs the ${scope} scope` };
}

/** 403 unless the principal may post for `storeId`. */
export function requireStore(principal: Principal, storeId: string): AuthFailure | undefined {
  if (!principal.stores || principal.stores.has(storeId)) return undefined;
  return { status: 403, reason: `this client may not post for store ${storeId}` };
}
