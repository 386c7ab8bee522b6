import * as client from 'openid-client';
import { type Clock, systemClock } from './clock.ts';
import { type Failure, permanent, retryable } from './failure.ts';
import { isLoopbackUrl } from './https-url.ts';
import type { OAuth2ClientConfig } from './oauth2-config.ts';
import { readPrivateKey } from './private-key.ts';

/** An access token, or why there is none (as data, ready to return from `handle`). */
export type TokenResult =
  | { ok: true; accessToken: string /** Just fetched, not from the cache. */; fresh: boolean }
  | Failure;

/** OAuth2 client-credentials tokens for one client: fetched once, shared, and refreshed before they expire. */
export interface TokenProvider {
  /** A valid token; `signal` only stops this caller waiting, not a request others share. */
  token(signal?: AbortSignal): Promise<TokenResult>;
  /** Forgets the cached token (the target refused it); the next call fetches a new one. */
  invalidate(): void;
}

interface Cached {
  accessToken: string;
  expiresAt: number;
  refreshAt: number;
}

/**
 * A token provider over openid-client 6: discovery (or a fixed token endpoint), client_secret_basic,
 * client_secret_post or private_key_jwt, one token request at a time, the token cached until a fifth of
 * its lifetime (at most a minute) is left. While a refresh fails the still-valid token keeps being used.
 */
export function createTokenProvider(
  config: OAuth2ClientConfig,
  options: { clock?: Clock } = {},
): TokenProvider {
  const clock = options.clock ?? systemClock;
  let configuration: Promise<client.Configuration> | undefined;
  let cached: Cached | undefined;
  let inflight: Promise<TokenResult> | undefined;

  const fetchToken = async (): Promise<TokenResult> => {
    try {
      configuration ??= configure(config);
      const cfg = await configuration;
      const params: Record<string, string> = {};
      if (config.scope) params['scope'] = config.scope;
      if (config.resource) params['resource'] = config.resource;
      const issuedAt = clock.now();
      const response = await client.clientCredentialsGrant(cfg, params);
      const lifetimeMs = (response.expires_in ?? 300) * 1000;
      cached = {
        accessToken: response.access_token,
        expiresAt: issuedAt + lifetimeMs,
        refreshAt: issuedAt + lifetimeMs - Math.min(60_000, lifetimeMs / 5),
      };
      return { ok: true, accessToken: cached.accessToken, fresh: true };
    } catch (error) {
      const failure = tokenFailure(error, config.clientId);
      if (failure.error.retryable) configuration = undefined;
      // Better the token we have, while it lasts, than no token at all.
      if (failure.error.retryable && cached && cached.expiresAt - 5_000 > clock.now()) {
        return { ok: true, accessToken: cached.accessToken, fresh: false };
      }
      return failure;
    }
  };

  return {
    async token(signal) {
      if (cached && clock.now() < cached.refreshAt) {
        return { ok: true, accessToken: cached.accessToken, fresh: false };
      }
      inflight ??= fetchToken().finally(() => {
        inflight = undefined;
      });
      return signal ? raceAbort(inflight, signal) : inflight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

async function configure(config: OAuth2ClientConfig): Promise<client.Configuration> {
  const issuer = new URL(config.issuer);
  const insecure = issuer.protocol === 'http:' && isLoopbackUrl(issuer);
  const auth =
    config.authMethod === 'client_secret_basic'
      ? client.ClientSecretBasic(config.clientSecret)
      : config.authMethod === 'client_secret_post'
        ? client.ClientSecretPost(config.clientSecret)
        : client.PrivateKeyJwt({
            key: readPrivateKey(config.privateKey),
            ...(config.keyId ? { kid: config.keyId } : {}),
          });
  const timeout = config.timeoutMs / 1000;
  let cfg: client.Configuration;
  if (config.tokenEndpoint) {
    cfg = new client.Configuration(
      { issuer: config.issuer, token_endpoint: config.tokenEndpoint },
      config.clientId,
      undefined,
      auth,
    );
    if (insecure) client.allowInsecureRequests(cfg);
  } else {
    cfg = await client.discovery(issuer, config.clientId, undefined, auth, {
      timeout,
      ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
    });
  }
  cfg.timeout = timeout;
  return cfg;
}

function raceAbort(result: Promise<TokenResult>, signal: AbortSignal): Promise<TokenResult> {
  const stopped = (): TokenResult =>
    retryable('aborted', 'the attempt was aborted while waiting for a token');
  if (signal.aborted) return Promise.resolve(stopped());
  return new Promise((resolve) => {
    const onAbort = () => resolve(stopped());
    signal.addEventListener('abort', onAbort, { once: true });
    result
      .then(resolve, (error: unknown) => resolve(tokenFailure(error, '')))
      .finally(() => {
        signal.removeEventListener('abort', onAbort);
      });
  });
}

/** What a failed token request means for the delivery: the server's refusal is permanent, an outage not. */
export function tokenFailure(error: unknown, clientId: string): Failure {
  if (error instanceof client.ResponseBodyError || error instanceof client.WWWAuthenticateChallengeError) {
    const body =
      error instanceof client.ResponseBodyError
        ? { error: error.error, error_description: error.error_description }
        : error.cause[0]?.parameters;
    const code = body?.error ?? `http_${error.status}`;
    const what = `${code}${body?.error_description ? ` (${body.error_description})` : ''}`;
    if (error.status >= 500 || error.status === 429) {
      return retryable('oauth2_unavailable', `the token endpoint answered ${error.status}: ${what}`);
    }
    if (code === 'invalid_client' || code === 'unauthorized_client' || error.status === 401) {
      return permanent(
        'oauth2_invalid_client',
        `the authorization server refused client ${clientId}: ${what}; check its credentials`,
      );
    }
    return permanent(
      `oauth2_${code.replace(/[^a-z0-9_]/gi, '_')}`,
      `the authorization server refused the token request of ${clientId}: ${what}`,
    );
  }
  if (error instanceof client.ClientError) {
    if (error.code === 'OAUTH_TIMEOUT' || error.code === 'OAUTH_ABORT') {
      return retryable('oauth2_timeout', 'the authorization server did not answer in time');
    }
    const status = error.cause instanceof Response ? error.cause.status : undefined;
    if (status !== undefined && status < 500 && status !== 429) {
      return permanent(
        'oauth2_bad_response',
        `the authorization server answered ${status}: ${error.message}`,
      );
    }
    return retryable('oauth2_bad_response', `the authorization server: ${error.message}`);
  }
  const cause = (error as { cause?: { code?: string } })?.cause?.code;
  return retryable(
    'oauth2_unreachable',
    `cannot reach the authorization server: ${cause ?? (error as Error)?.message ?? String(error)}`,
  );
}
