import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// The real local issuer (oidc-provider), started in-process; see infra/local/src/oidc-server.ts.
import { createOidcIssuer } from '@poshub/local-services/oidc-issuer';
import { createSigningKey } from '@poshub/local-services/signing-keys';
import type { CanonicalEvent } from '@poshub/model';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classifyResponse } from './classify-response.ts';
import { defineConnector } from './define-connector.ts';
import { httpsUrl } from './https-url.ts';
import { OAuth2ClientConfig } from './oauth2-config.ts';
import { startConnector } from './start-connector.ts';
import { startTestTarget, type TestTarget } from './testing/test-target.ts';
import { createTokenProvider } from './token-provider.ts';

const ERP = 'https://erp.example.test';
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

interface Issuer {
  url: string;
  tokenRequests: number;
  discoveryRequests: number;
  close(): Promise<void>;
}

async function startIssuer(): Promise<Issuer> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const counts = { tokenRequests: 0, discoveryRequests: 0 };
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/token')) counts.tokenRequests++;
    if (req.url?.startsWith('/.well-known/')) counts.discoveryRequests++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = (clientId: string) => ({
    clientId,
    clientSecret: `${clientId}-secret`,
    scopes: ['erp:write'],
    audiences: [ERP],
  });
  const provider = createOidcIssuer({
    issuer: url,
    keys: [await createSigningKey()],
    config: {
      resourceServers: [{ audience: ERP, scopes: ['erp:write'], accessTokenTtlSeconds: 600 }],
      clients: ['basic', 'post', 'jwt-ec', 'jwt-rsa'].map(client),
    },
    clientAuthentication: {
      post: { method: 'client_secret_post' },
      'jwt-ec': {
        method: 'private_key_jwt',
        jwks: { keys: [{ ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1' }] },
      },
      'jwt-rsa': {
        method: 'private_key_jwt',
        jwks: { keys: [{ ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1' }] },
      },
    },
  });
  handler = provider.callback();
  return Object.assign(counts, {
    url,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('OAuth2 client credentials against the real local issuer (oidc-provider)', () => {
  let issuer: Issuer;
  let target: TestTarget;
  const config = (over: Record<string, unknown>) =>
    OAuth2ClientConfig.parse({ issuer: issuer.url, scope: 'erp:write', resource: ERP, ...over });

  beforeAll(async () => {
    issuer = await startIssuer();
    target = await startTestTarget();
  });
  beforeEach(() => {
    issuer.tokenRequests = 0;
    issuer.discoveryRequests = 0;
    target.reset();
  });
  afterAll(async () => {
    await target.close();
    await issuer.close();
  });

  it('gets a token with client_secret_basic and shares one token request among all callers', async () => {
    const tokens = createTokenProvider(
      config({ clientId: 'basic', authMethod: 'client_secret_basic', clientSecret: 'basic-secret' }),
    );
    const results = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
    const again = await tokens.token();
    expect(issuer.tokenRequests).toBe(1);
    expect(issuer.discoveryRequests).toBe(1);
    const token = results[0]!.ok ? results[0]!.accessToken : '';
    expect(results.every((r) => r.ok && r.accessToken === token)).toBe(true);
    expect(again).toEqual({ ok: true, accessToken: token, fresh: false });
    expect(claims(token)).toMatchObject({
      client_id: 'basic',
      aud: ERP,
      scope: 'erp:write',
      iss: issuer.url,
    });
  });

  it('refreshes the token before it expires, by the injected clock', async () => {
    let now = Date.now();
    const tokens = createTokenProvider(
      config({ clientId: 'basic', authMethod: 'client_secret_basic', clientSecret: 'basic-secret' }),
      { clock: { now: () => now } },
    );
    const first = await tokens.token();
    now += 500_000; // 600 s lifetime: still inside, before the last minute
    expect(await tokens.token()).toEqual(first.ok ? { ...first, fresh: false } : first);
    expect(issuer.tokenRequests).toBe(1);
    now += 45_000; // within a minute of expiry: refresh
    const second = await tokens.token();
    expect(issuer.tokenRequests).toBe(2);
    expect(second.ok && first.ok && second.accessToken !== first.accessToken).toBe(true);
  });

  it('authenticates with client_secret_post, and with a fixed token endpoint skips discovery', async () => {
    const tokens = createTokenProvider(
      config({
        clientId: 'post',
        authMethod: 'client_secret_post',
        clientSecret: 'post-secret',
        tokenEndpoint: `${issuer.url}/token`,
      }),
    );
    const result = await tokens.token();
    expect(result.ok && claims(result.accessToken)['client_id']).toBe('post');
    expect(issuer.discoveryRequests).toBe(0);
  });

  it.each([
    ['an EC JWK', 'jwt-ec', () => ec.privateKey.export({ format: 'jwk' }), 'ec-1'],
    [
      'an RSA PEM',
      'jwt-rsa',
      () => rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      'rsa-1',
    ],
  ])('authenticates with private_key_jwt and %s', async (_name, clientId, key, keyId) => {
    const tokens = createTokenProvider(
      config({ clientId, authMethod: 'private_key_jwt', privateKey: key(), keyId }),
    );
    const result = await tokens.token();
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(result.ok && claims(result.accessToken)['client_id']).toBe(clientId);
  });

  it('turns a wrong secret into a clear permanent error, without the secret', async () => {
    const tokens = createTokenProvider(
      config({ clientId: 'basic', authMethod: 'client_secret_basic', clientSecret: 'wrong-secret-value' }),
    );
    const result = await tokens.token();
    expect(result).toMatchObject({ ok: false, error: { retryable: false, type: 'oauth2_invalid_client' } });
    const message = result.ok ? '' : result.error.message;
    expect(message).toMatch(/refused client basic: invalid_client.*check its credentials/);
    expect(message).not.toContain('wrong-secret-value');
  });

  it('turns a private key the issuer does not know into the same permanent error', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    const tokens = createTokenProvider(
      config({ clientId: 'jwt-ec', authMethod: 'private_key_jwt', privateKey: other }),
    );
    expect(await tokens.token()).toMatchObject({ ok: false, error: { type: 'oauth2_invalid_client' } });
  });

  it('turns an unreachable issuer into a retryable error', async () => {
    const gone = await startTestTarget();
    await gone.close();
    const tokens = createTokenProvider(
      OAuth2ClientConfig.parse({
        issuer: gone.url,
        clientId: 'x',
        authMethod: 'client_secret_post',
        clientSecret: 'y',
      }),
    );
    expect(await tokens.token()).toMatchObject({
      ok: false,
      error: { retryable: true, type: 'oauth2_unreachable' },
    });
  });

  it('refuses an unreadable private key in the config, at its path', () => {
    const parsed = OAuth2ClientConfig.safeParse({
      issuer: issuer.url,
      clientId: 'x',
      authMethod: 'private_key_jwt',
      privateKey: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----',
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['privateKey'],
      message: expect.stringMatching(/not a usable private key/),
    });
  });

  it('gives a connector bearer tokens through ctx.http, and renews a token the target refuses', async () => {
    const connector = defineConnector({
      id: 'erp-oauth',
      version: '0.1.0',
      coreCompat: '^0.1.0',
      role: 'erp',
      capabilities: {},
      config: z.object({ baseUrl: httpsUrl(), oauth2: OAuth2ClientConfig }),
      subscribes: { types: ['sale.completed.v1'] },
      oauth2: (c) => c.oauth2,
      async handle(event, ctx) {
        const sent = await ctx.http.request({
          method: 'POST',
          url: `${ctx.config.baseUrl}/sales`,
          json: { id: event.id },
          oauth2: true,
        });
        return sent.ok ? classifyResponse(sent.response) : sent;
      },
    });
    const started = startConnector(
      connector,
      {
        baseUrl: target.url,
        oauth2: {
          issuer: issuer.url,
          clientId: 'post',
          authMethod: 'client_secret_post',
          clientSecret: 'post-secret',
          scope: 'erp:write',
          resource: ERP,
        },
      },
      { log: { sink: () => {} } },
    );
    if (!started.ok) throw new Error(JSON.stringify(started.problems));
    const attempt = { idempotencyKey: 'k', attempt: 1, signal: new AbortController().signal };
    const sale = { id: 'evt-1' } as CanonicalEvent;
    for (let i = 0; i < 3; i++) expect(await started.target.handle(sale, attempt)).toEqual({ ok: true });
    expect(issuer.tokenRequests).toBe(1);
    const bearer = target.calls[0]!.headers['authorization'];
    expect(bearer).toMatch(/^Bearer ey/);
    expect(target.calls.every((c) => c.headers['authorization'] === bearer)).toBe(true);

    target.answer((_call, n) => (n === 1 ? { status: 401 } : { status: 200 }));
    const before = target.calls.length;
    expect(await started.target.handle(sale, attempt)).toEqual({ ok: true });
    expect(issuer.tokenRequests).toBe(2);
    expect(target.calls.length - before).toBe(2);
    expect(target.calls.at(-1)!.headers['authorization']).not.toBe(bearer);
  });
});
