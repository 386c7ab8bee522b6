import { readServiceUrls } from '@poshub/local-services';
import { requireService } from '@poshub/local-services/require-service';
import type { CanonicalEvent } from '@poshub/model';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { contentHashOf } from './business-key.ts';
import {
  describeExportsApi,
  type ExportsHarness,
  recordingReconciliationTarget,
} from './exports-api-suite.ts';
import { ingestConfigFromEnv } from './ingest-config.ts';
import { type RunningIngest, startIngestServer } from './start-ingest-server.ts';

// The sales journal export, summary and reconciliation on the real PostgreSQL server with the local OAuth2
// issuer (tokens by client credentials, keys from its JWKS over HTTP), in a database of its own. A second
// session holds a commit open to show an export waits for it.
const API = 'https://api.poshub.local';
const services = readServiceUrls();
const database = `poshub_exports_${process.pid}_${Date.now()}`;
let admin: pg.Client;
let probe: pg.Client;
let server: RunningIngest;
let harness: ExportsHarness;
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
    },
    '/nonexistent',
  );
  server = await startIngestServer(config, {
    logLevel: 'silent',
    targets: [recordingReconciliationTarget(received)],
  });
  probe = new pg.Client({ connectionString: url.toString() });
  await probe.connect();
  harness = {
    url: server.url,
    erp: await clientToken('erp-sync', 'erp:batch'),
    admin: await clientToken('ops-console', 'admin:read admin:write'),
    till: await clientToken('poshub-test', 'pos:write'),
    received,
    // The event and its outbox row, as an ingest commit writes them, in a transaction of another session.
    async openTransaction(event) {
      const key = (event.data as { key: { workstationId: string; businessDay: string; sequence: string } })
        .key;
      await probe.query('begin');
      await probe.query(
        `insert into events (id, type, store_id, business_key, workstation_id, business_day, sequence, content_hash, body)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          event.id,
          event.type,
          event.subject,
          `${event.subject}|${key.workstationId}|${key.businessDay}|${key.sequence}`,
          key.workstationId,
          key.businessDay,
          key.sequence,
          contentHashOf(event),
          JSON.stringify(event),
        ],
      );
      await probe.query('insert into outbox (event_id, store_id, type) values ($1, $2, $3)', [
        event.id,
        event.subject,
        event.type,
      ]);
      return async () => {
        await probe.query('commit');
      };
    },
    // From another session than the open transaction's (a transaction sees one snapshot of the activity).
    async watchExportWait() {
      const since = (await admin.query<{ t: Date }>('select clock_timestamp() as t')).rows[0]!.t;
      return async () => {
        const r = await admin.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity
            where datname = $1 and query like '%pg_snapshot_xip%' and query_start > $2`,
          [database, since],
        );
        return r.rows[0]!.n > 0;
      };
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

describeExportsApi('PostgreSQL', () => harness);
