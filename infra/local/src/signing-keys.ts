import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** The JWS algorithm of the issuer's signing keys (the default every OAuth2 resource server accepts). */
export const SIGNING_ALG = 'RS256';

/** A private signing key as a JWK, with `kid`, `alg` and `use` set. */
export type SigningJwk = JWK & { kid: string };

/** Creates a new RSA signing key whose `kid` is its RFC 7638 thumbprint. */
export async function createSigningKey(): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg: SIGNING_ALG, use: 'sig' };
}

async function save(file: string, keys: SigningJwk[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/**
 * The signing keys kept in FILE, newest first (the newest signs; the others stay published so tokens
 * they signed still verify). Creates the file with one key on first use.
 */
export async function loadSigningKeys(file: string): Promise<SigningJwk[]> {
  if (existsSync(file)) {
    const { keys } = JSON.parse(await readFile(file, 'utf8')) as { keys: SigningJwk[] };
    if (keys.length > 0) return keys;
  }
  const keys = [await createSigningKey()];
  await save(file, keys);
  return keys;
}

/** Puts a new key in front and keeps at most KEEP keys, so the oldest retired key leaves the JWKS. */
export async function rotateSigningKeys(file: string, keep = 3): Promise<SigningJwk[]> {
  const keys = [await createSigningKey(), ...(await loadSigningKeys(file))].slice(0, Math.max(keep, 1));
  await save(file, keys);
  return keys;
}
