import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireService } from './require-service.ts';
import { readServiceUrls } from './service-urls.ts';

const API = 'https://api.poshub.local';
const ERP = 'https://erp.example.test';

describe('OIDC issuer (real oidc-provider on loopback)', () => {
  const { oidc } = readServiceUrls();

  beforeAll(() => requireService('oidc', oidc.issuer));

  async function requestToken(client: string, params: Record<string, string>) {
    const response = await fetch(oidc.tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client}:${client}-secret`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...params }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }

  async function token(client: string, params: Record<string, string>): Promise<string> {
    const { status, body } = await requestToken(client, params);
    expect(status, JSON.stringify(body)).toBe(200);
    return body['access_token']!;
  }

  it('issues a client-credentials JWT that jose verifies against the JWKS, for the requested audience', async () => {
    const accessToken = await token('pos-terminal', { scope: 'pos:write', resource: API });
    const { payload, protectedHeader } = await jwtVerify(
      accessToken,
      createRemoteJWKSet(new URL(oidc.jwksUri)),
      {
        issuer: oidc.issuer,
        audience: API,
        typ: 'at+jwt',
      },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload['client_id']).toBe('pos-terminal');
    expect(payload['scope']).toBe('pos:write');
    expect(payload['stores']).toEqual(['0042']);
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it("uses the client's default audience when no resource indicator is sent", async () => {
    const accessToken = await token('connector-erp', { scope: 'erp:write' });
    const { payload } = await jwtVerify(accessToken, createRemoteJWKSet(new URL(oidc.jwksUri)), {
      issuer: oidc.issuer,
      audience: ERP,
    });
    expect(payload['scope']).toBe('erp:write');
  });

  it('refuses scopes and audiences the client is not allowed', async () => {
    const scope = await requestToken('pos-terminal', { scope: 'admin:write', resource: API });
    expect(scope.status).toBe(400);
    expect(scope.body['error']).toBe('invalid_scope');
    const target = await requestToken('connector-erp', { scope: 'erp:write', resource: API });
    expect(target.status).toBe(400);
    expect(target.body['error']).toBe('invalid_target');
  });

  it('rotates its signing key and keeps the previous key published, so older tokens still verify', async () => {
    const before = await token('poshub-test', { scope: 'admin:read', resource: API });
    const rotation = await fetch(`${oidc.issuer}/admin/rotate-keys`, { method: 'POST' });
    expect(rotation.status).toBe(200);
    const { signingKid, kids } = (await rotation.json()) as { signingKid: string; kids: string[] };

    const after = await token('poshub-test', { scope: 'admin:read', resource: API });
    expect(decodeProtectedHeader(after).kid).toBe(signingKid);
    expect(decodeProtectedHeader(before).kid).not.toBe(signingKid);
    expect(kids).toContain(decodeProtectedHeader(before).kid);

    const jwks = createRemoteJWKSet(new URL(oidc.jwksUri));
    for (const accessToken of [before, after]) {
      await expect(
        jwtVerify(accessToken, jwks, { issuer: oidc.issuer, audience: API }),
      ).resolves.toBeTruthy();
    }
  });
});
