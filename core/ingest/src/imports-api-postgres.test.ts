import { readServiceUrls } from '@poshub/local-services';
import { requireService } from '@poshub/local-services/require-service';
import type { CanonicalEvent } from '@poshub/model';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { describeImportsApi, type ImportsHarness, recordingImportTarget } from './imports-api-suite.ts';
import { ingestConfigFromEnv } from './ingest-config.ts';
import { type RunningIngest, startIngestServer } from './start-ingest-server.ts';

// The imports API on the real PostgreSQL server with the local OAuth2 issuer (tokens by client
// credentials, keys from its JWKS over HTTP), in a database of its own.
const API = 'https://api.poshub.local';
const services = readServiceUrls();
const database = `poshub_imports_${process.pid}_${Date.now()}`;
let admin: pg.Client;
let probe: pg.Client;
let server: RunningIngest;
let harness: ImportsHarness;
const received: CanonicalEvent[] = [];

async function clientToken(client: string, scope: string): Promise<string> {
  const res = await fetch(services.oidc.tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client}:${client}-secret`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: API }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token)
    throw new Error(`the issuer refused a token for ${client}: ${JSON.stringify(body)}`);
  return body.access_token;
}

beforeAll(async () => {
  await requireService('postgres', services.databaseUrl);
  await requireService('oidc', services.oidc.issuer);
  admin = new pg.Client({ connectionString: services.databaseUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  const url = new URL(services.databaseUrl);
  url.pathname = `/${database}`;
  const config = ingestConfigFromEnv(
    {
      POSHUB_PORT: '0',
      DATABASE_URL: url.toString(),
      OIDC_ISSUER: services.oidc.issuer,
      OIDC_AUDIENCE: API,
      OIDC_JWKS_URI: services.oidc.jwksUri,
      POSHUB_MAX_BODY_BYTES: String(64 * 1024),
    },
    '/nonexistent',
  );
  server = await startIngestServer(config, {
    logLevel: 'silent',
    targets: [recordingImportTarget(received)],
  });
  probe = new pg.Client({ connectionString: url.toString() });
  await probe.connect();
  harness = {
    url: server.url,
    erp: await clientToken('erp-sync', 'erp:batch'),
    otherErp: await clientToken('poshub-test', 'erp:batch'),
    till: await clientToken('pos-terminal', 'pos:write'),
    storeErp: undefined,
    received,
    // Every row of every table, as text (bytea read as UTF-8 too), searched for the text.
    async findInDatabase(text) {
      const tables = await probe.query<{ name: string }>(
        `select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
      );
      let found = 0;
      for (const { name } of tables.rows) {
        const r = await probe.query<{ n: number }>(
          `select count(*)::int as n from "${name}" t where t::text like '%' || $1 || '%'`,
          [text],
        );
        found += r.rows[0]!.n;
      }
      const carry = await probe.query<{ n: number }>(
        `select count(*)::int as n from import_jobs where convert_from(carry, 'UTF8') like '%' || $1 || '%'`,
        [text],
      );
      return found + carry.rows[0]!.n;
    },
  };
}, 120_000);

afterAll(async () => {
  await probe?.end();
  await server?.close();
  if (!server) return;
  await admin?.query(`drop database if exists ${database} with (force)`);
  await admin?.end();
});

describeImportsApi('PostgreSQL', () => harness);
