import { z } from 'zod';
import { httpsUrl } from './https-url.ts';
import { privateKeyProblem } from './private-key.ts';
import { secret } from './secret.ts';

const common = {
  /** The authorization server's issuer identifier; its metadata is discovered unless `tokenEndpoint` is set. */
  issuer: httpsUrl(),
  /** Skips discovery when the server publishes no metadata. */
  tokenEndpoint: httpsUrl().optional(),
  clientId: z.string().min(1),
  scope: z.string().min(1).optional(),
  /** RFC 8707 resource indicator: the API the token is for. */
  resource: z.string().min(1).optional(),
  /** Time limit of one token request. */
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
};

/** A JWK private key, or a PKCS#8 / PKCS#1 / SEC1 PEM. */
const privateKey = z
  .union([z.string().includes('PRIVATE KEY'), z.looseObject({ kty: z.string() })])
  .superRefine((key, ctx) => {
    const problem = privateKeyProblem(key);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * OAuth2 client-credentials settings, to embed in a connector's config. Secrets (client secret, private
 * key) are marked with `secret()`.
 *
 * @example
 * const Config = z.object({ baseUrl: httpsUrl(), oauth2: OAuth2ClientConfig });
 */
export const OAuth2ClientConfig = z.discriminatedUnion('authMethod', [
  z.object({
    ...common,
    authMethod: z.literal('client_secret_basic'),
    clientSecret: secret(z.string().min(1)),
  }),
  z.object({
    ...common,
    authMethod: z.literal('client_secret_post'),
    clientSecret: secret(z.string().min(1)),
  }),
  z.object({
    ...common,
    authMethod: z.literal('private_key_jwt'),
    privateKey: secret(privateKey),
    /** The key id the server knows the public key by. */
    keyId: z.string().min(1).optional(),
  }),
]);
export type OAuth2ClientConfig = z.output<typeof OAuth2ClientConfig>;
