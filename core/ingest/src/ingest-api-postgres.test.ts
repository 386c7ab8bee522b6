import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readServiceUrls } from '@poshub/local-services';
import { requireService } from '@poshub/local-services/require-service';
import { generateKeyPair, importJWK, SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestConfigFromEnv } from './ingest-config.ts';
import { type RunningIngest, startIngestServer } from './start-ingest-server.ts';

// The same API on the real PostgreSQL server and the real OAuth2 issuer started by `pnpm services up`:
// tokens come from the issuer's token endpoint (client credentials), keys from its JWKS over HTTP.
const API = 'https://api.poshub.local';
const FIXTURES = join(import.meta.dirname, '..', '..', 'normalizers', 'fixtures');
const services = readServiceUrls();
const database = `poshub_ingest_${process.pid}_${Date.now()}`;
let admin: pg.Client;
let server: RunningIngest;
let till: string;
let office: string;
// biome-ignore lint/suspicious/noExplicitAny: a document edited freely in tests
let sale: Record<string, any>;

async function clientToken(client: string, scope: string, resource = API): Promise<string> {
  const res = await fetch(services.oidc.tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client}:${client}-secret`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
  });
  const body = (await res.json()) as { access_token?: string; error?: string };
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
  server = await startIngestServer(config, { logLevel: 'silent' });
  till = await clientToken('pos-terminal', 'pos:write');
  office = await clientToken('poshub-test', 'pos:write admin:read');
  sale = JSON.parse(await readFile(join(FIXTURES, 'canonical', 'sale-two-lines.json'), 'utf8'));
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (!server) return;
  await admin?.query(`drop database if exists ${database} with (force)`);
  await admin?.end();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}, bearer = till) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function withSequence(sequence: string) {
  const copy = structuredClone(sale);
  copy.id = `pg-${sequence}`;
  copy.data.key.sequence = sequence;
  return copy;
}

async function rows(): Promise<{ events: number; outbox: number; keys: number }> {
  const c = new pg.Client({ connectionString: services.databaseUrl.replace(/\/[^/]*$/, `/${database}`) });
  await c.connect();
  const [e, o, k] = await Promise.all(
    ['events', 'outbox', 'idempotency_keys'].map(async (t) =>
      Number((await c.query(`select count(*) from ${t}`)).rows[0].count),
    ),
  );
  await c.end();
  return { events: e!, outbox: o!, keys: k! };
}

describe('ingest API on PostgreSQL with the OAuth2 issuer', () => {
  it('is ready on PostgreSQL, with synchronous_commit on', async () => {
    expect(await (await fetch(`${server.url}/readyz`)).json()).toMatchObject({ database: 'postgresql' });
    const c = new pg.Client({ connectionString: services.databaseUrl, options: '-c synchronous_commit=on' });
    await c.connect();
    expect((await c.query('show synchronous_commit')).rows[0].synchronous_commit).toBe('on');
    await c.end();
  });

  it('commits the event, its outbox row and the key together; replays; refuses a reused key', async () => {
    const first = await post('/v1/transactions', sale, { 'idempotency-key': 'pg-1' });
    expect(first.status).toBe(201);
    expect(await rows()).toEqual({ events: 1, outbox: 1, keys: 1 });
    const replay = await post('/v1/transactions', sale, { 'idempotency-key': 'pg-1' });
    expect([replay.status, replay.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    const other = withSequence('2');
    expect((await post('/v1/transactions', other, { 'idempotency-key': 'pg-1' })).status).toBe(422);
    const changed = structuredClone(sale);
    changed.data.receiptNumber = 'changed';
    expect((await post('/v1/transactions', changed, { 'idempotency-key': 'pg-2' })).status).toBe(409);
    expect(await rows()).toMatchObject({ events: 1, outbox: 1 });
  });

  it('shares transactions among concurrent requests (group commit) and answers each one', async () => {
    const events = Array.from({ length: 200 }, (_, i) => withSequence(String(10_000 + i)));
    const answers = await Promise.all(
      events.map((e, i) => post('/v1/transactions', e, { 'idempotency-key': `pg-c-${i}` })),
    );
    expect(answers.map((a) => a.status).every((s) => s === 201)).toBe(true);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const count = Number(/poshub_group_commit_batch_size_count (\d+)/.exec(metrics)?.[1]);
    const sum = Number(/poshub_group_commit_batch_size_sum (\d+)/.exec(metrics)?.[1]);
    expect(sum).toBeGreaterThanOrEqual(201);
    expect(count).toBeLessThan(sum); // fewer transactions than events: they were shared
  });

  it('refuses another store (403), a token for another audience (401), bad data (422): nothing stored', async () => {
    const before = await rows();
    const otherStore = withSequence('3');
    otherStore.subject = '0099';
    otherStore.data.key.storeId = '0099';
    expect((await post('/v1/transactions', otherStore, { 'idempotency-key': 'pg-3' })).status).toBe(403);
    const erpToken = await clientToken('connector-erp', 'erp:write', 'https://erp.example.test');
    expect(
      (await post('/v1/transactions', withSequence('4'), { 'idempotency-key': 'pg-4' }, erpToken)).status,
    ).toBe(401);
    const card = withSequence('5');
    card.data.lines[0].item.description = '5555 5555 5555 4444';
    expect((await post('/v1/transactions', card, { 'idempotency-key': 'pg-5' })).status).toBe(422);
    expect(await rows()).toEqual(before);
  });

  describe('each bad token kind, against the real issuer (its JWKS over HTTP): 401, nothing stored', () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = () => ({
      iss: services.oidc.issuer,
      aud: API,
      client_id: 'pos-terminal',
      scope: 'pos:write',
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    // Forged with the real issuer's own signing key (the local services keep it under .data/oidc), so only
    // the claim under test is wrong.
    async function signAsIssuer(payload: Record<string, unknown>) {
      const file = join(import.meta.dirname, '..', '..', '..', '.data', 'oidc', 'signing-keys.json');
      const [jwk] = (
        JSON.parse(await readFile(file, 'utf8')) as { keys: Array<{ kid: string; alg: string }> }
      ).keys;
      const key = await importJWK(jwk!, jwk!.alg);
      return new SignJWT(payload)
        .setProtectedHeader({ alg: jwk!.alg, kid: jwk!.kid, typ: 'at+jwt' })
        .sign(key);
    }

    it.each([
      ['alg none', async () => `${b64({ alg: 'none' })}.${b64(claims())}.`],
      [
        'HS256 signed with the public key',
        async () => {
          const jwks = (await (await fetch(services.oidc.jwksUri)).json()) as {
            keys: Array<{ kid: string }>;
          };
          const jwk = jwks.keys[0]!;
          return new SignJWT(claims())
            .setProtectedHeader({ alg: 'HS256', kid: jwk.kid })
            .sign(new TextEncoder().encode(JSON.stringify(jwk)));
        },
      ],
      ['wrong audience', async () => signAsIssuer({ ...claims(), aud: 'https://someone-else.example' })],
      ['wrong issuer', async () => signAsIssuer({ ...claims(), iss: 'https://evil.example' })],
      ['expired', async () => signAsIssuer({ ...claims(), exp: Math.floor(Date.now() / 1000) - 3600 })],
      ['not valid yet', async () => signAsIssuer({ ...claims(), nbf: Math.floor(Date.now() / 1000) + 3600 })],
      [
        'unknown kid',
        async () => {
          const { privateKey } = await generateKeyPair('RS256');
          return new SignJWT(claims())
            .setProtectedHeader({ alg: 'RS256', kid: 'not-published' })
            .sign(privateKey);
        },
      ],
    ])('%s', async (name, make) => {
      const before = await rows();
      const res = await post(
        '/v1/transactions',
        withSequence('8000'),
        { 'idempotency-key': `pg-tok-${name}` },
        await make(),
      );
      expect(res.status).toBe(401);
      expect(await rows()).toEqual(before);
    });

    it('accepts the control: the same forged claims, nothing wrong (so the cases above fail for their one reason)', async () => {
      const res = await post(
        '/v1/transactions',
        withSequence('8001'),
        { 'idempotency-key': 'pg-tok-ok' },
        await signAsIssuer(claims()),
      );
      expect(res.status).toBe(201);
    });
  });

  it('commits a store-and-forward batch item by item: bad items refused, the rest committed once', async () => {
    const before = await rows();
    const good = withSequence('9001');
    const bad = withSequence('9002');
    bad.data.lines[1].quantity = '-0.42';
    const dup = withSequence('9001');
    const res = await post('/v1/transactions/batch', [good, bad, { idempotencyKey: 'pg-b-3', event: dup }]);
    const body = (await res.json()) as { results: Array<{ status: number; body: { status?: string } }> };
    expect(
      body.results.map((r) => r.status),
      JSON.stringify(body.results),
    ).toEqual([201, 422, 200]);
    expect(body.results[2]?.body.status).toBe('duplicate');
    expect(await rows()).toEqual({
      events: before.events + 1,
      outbox: before.outbox + 1,
      keys: before.keys + 2,
    });
  });

  it('takes a POSLog day from a back-office client and reports it', async () => {
    const xml = await readFile(join(FIXTURES, 'poslog', 'small-sale-loyalty.xml'), 'utf8');
    const res = await post('/v1/ingest/poslog', xml, { 'content-type': 'application/xml' }, office);
    expect(await res.json()).toMatchObject({ accepted: 2 });
    const report = await fetch(`${server.url}/v1/stores/9/business-days/2017-09-30`, {
      headers: { authorization: `Bearer ${office}` },
    });
    expect(await report.json()).toMatchObject({ workstations: [{ workstationId: '34', transactions: 2 }] });
  });
});
