import { join } from 'node:path';
import { readServiceEnv, readServiceUrls } from '@poshub/local-services';
import pg from 'pg';

/** The audience of the ingest API at the local OAuth2 issuer. */
export const API_AUDIENCE = 'https://api.poshub.local';

/** A database of its own on the local PostgreSQL, for one hub run; `drop` removes it. */
export async function createScratchDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const services = readServiceUrls();
  const admin = new pg.Client({ connectionString: services.databaseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(services.databaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: services.databaseUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * The environment of a `poshub serve` process for fault and bench runs: the local services, its own
 * database and issuer settings, the chosen transport, the HTTP connectors of fault-connectors.ts pointed
 * at `targetUrl`, no rate limit, warnings only. `extra` goes on top.
 */
export function scratchHubEnv(options: {
  databaseUrl: string;
  dataDir: string;
  transport: string;
  namespace: string;
  targetUrl: string;
  extra?: NodeJS.ProcessEnv;
}): NodeJS.ProcessEnv {
  const services = readServiceUrls();
  return {
    ...readServiceEnv(),
    PATH: process.env.PATH,
    DATABASE_URL: options.databaseUrl,
    OIDC_ISSUER: services.oidc.issuer,
    OIDC_AUDIENCE: API_AUDIENCE,
    OIDC_JWKS_URI: services.oidc.jwksUri,
    POSHUB_DATA_DIR: options.dataDir,
    POSHUB_TRANSPORT: options.transport,
    POSHUB_TRANSPORT_NAMESPACE: options.namespace,
    POSHUB_CONNECTORS: join(import.meta.dirname, 'fault-connectors.ts'),
    FAULT_TARGET_URL: options.targetUrl,
    POSHUB_RATE_PER_SECOND: '100000',
    POSHUB_RATE_BURST: '100000',
    POSHUB_LOG_LEVEL: 'warn',
    ...options.extra,
  };
}

/** A `pos:write` token for any store, from the local issuer (client credentials). */
export async function posWriteToken(): Promise<string> {
  const res = await fetch(readServiceUrls().oidc.tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('poshub-test:poshub-test-secret').toString('base64')}` },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'pos:write',
      resource: API_AUDIENCE,
    }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`the issuer refused a token: ${JSON.stringify(body)}`);
  return body.access_token;
}
