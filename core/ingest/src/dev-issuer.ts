import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';

/** The embedded development issuer: a signing key on disk, its JWKS, and tokens minted for tests and demos. */
export interface DevIssuer {
  issuer: string;
  audience: string;
  jwks: { keys: JWK[] };
  mint(claims: {
    clientId?: string;
    scopes: string[];
    stores?: string[];
    ttlSeconds?: number;
  }): Promise<string>;
}

const ALG = 'ES256';

/**
 * Loads (or creates, on first use) the development issuer's key under `keyFile`. Only the embedded default
 * runs it: with a configured issuer the server trusts that issuer's JWKS instead.
 */
export async function openDevIssuer(opts: {
  keyFile: string;
  issuer: string;
  audience: string;
}): Promise<DevIssuer> {
  let stored: { privateJwk: JWK; publicJwk: JWK };
  try {
    stored = JSON.parse(await readFile(opts.keyFile, 'utf8'));
  } catch {
    const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
    const kid = randomUUID();
    stored = {
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG },
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' },
    };
    await mkdir(dirname(opts.keyFile), { recursive: true });
    await writeFile(opts.keyFile, JSON.stringify(stored), { mode: 0o600 });
  }
  const key = await importJWK(stored.privateJwk, ALG);
  return {
    issuer: opts.issuer,
    audience: opts.audience,
    jwks: { keys: [stored.publicJwk] },
    async mint({ clientId = 'dev-client', scopes, stores, ttlSeconds = 3600 }) {
      const jwt = new SignJWT({ scope: scopes.join(' '), ...(stores ? { stores } : {}), client_id: clientId })
        .setProtectedHeader({ alg: ALG, kid: stored.privateJwk.kid!, typ: 'at+jwt' })
        .setIssuer(opts.issuer)
        .setAudience(opts.audience)
        .setSubject(clientId)
        .setIssuedAt()
        .setJti(randomUUID())
        .setExpirationTime(`${ttlSeconds}s`);
      return jwt.sign(key);
    },
  };
}
