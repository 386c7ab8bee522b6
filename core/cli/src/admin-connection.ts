import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { DEV_ISSUER, devIssuerKeyFile, ingestConfigFromEnv, openDevIssuer } from '@poshub/ingest';
import { usage } from './admin-args.ts';
import { type AdminClient, adminClient } from './admin-client.ts';
import { type Output, paint } from './output.ts';
import { printAdminFailure } from './print-admin-failure.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');

const ADMIN_SCOPES = ['admin:read', 'admin:write'];

/**
 * The admin client for `--url`/`--token` (or POSHUB_URL/POSHUB_TOKEN). Without a token it signs in with a
 * short-lived admin token from the embedded development issuer, but only when the hub at the URL serves
 * that issuer with the very key kept in this machine's data directory. Returns the exit code instead when
 * it cannot: 1 when the hub does not answer, 2 when a token must be given.
 */
export async function connectAdmin(
  values: { url?: string | undefined; token?: string | undefined },
  env: NodeJS.ProcessEnv,
  out: Output,
  help: string,
): Promise<AdminClient | 1 | 2> {
  const config = ingestConfigFromEnv(env, REPO);
  const url = values.url ?? (env.POSHUB_URL || `http://127.0.0.1:${config.port}`);
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    return usage(out, `--url "${url}" is not an http(s) URL`, help);
  }
  const token = values.token ?? (env.POSHUB_TOKEN || undefined);
  if (token) return adminClient({ url, token });

  const anonymous = adminClient({ url, token: undefined });
  const noToken = (why: string) => {
    out.info(
      `${paint(out, 'red', 'error:')} no token: ${why}.\n  Pass --token or set POSHUB_TOKEN (scopes ${ADMIN_SCOPES.join(' ')}).`,
    );
    return 2 as const;
  };
  if (config.issuer) return noToken(`OIDC_ISSUER is set, so the hub trusts ${config.issuer.url}`);
  const hubKeys = await anonymous.devIssuerKeys();
  if (!hubKeys.ok) return printAdminFailure(out, hubKeys.failure);
  if (!hubKeys.value) return noToken(`the hub at ${anonymous.url} does not run the development issuer`);
  const keyFile = devIssuerKeyFile(config.dataDir);
  const mismatch = `the hub at ${anonymous.url} signs with a development key not found in ${config.dataDir} (set POSHUB_DATA_DIR to the hub's data directory)`;
  try {
    await access(keyFile);
  } catch {
    return noToken(mismatch);
  }
  const issuer = await openDevIssuer({ keyFile, issuer: DEV_ISSUER, audience: config.audience });
  const hubKids = new Set(hubKeys.value.keys.map((k) => k.kid));
  if (!issuer.jwks.keys.some((k) => hubKids.has(k.kid))) return noToken(mismatch);
  const minted = await issuer.mint({ clientId: 'poshub-cli', scopes: ADMIN_SCOPES, ttlSeconds: 600 });
  out.info(
    paint(
      out,
      'dim',
      `Signed in with a 10-minute ${ADMIN_SCOPES.join(' ')} token from the embedded development issuer.`,
    ),
  );
  return adminClient({ url, token: minted });
}
