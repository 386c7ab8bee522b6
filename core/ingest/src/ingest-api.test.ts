import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestConfigFromEnv } from './ingest-config.ts';
import { DEV_ISSUER, type RunningIngest, startIngestServer } from './start-ingest-server.ts';

// The real HTTP server on the embedded PGlite database, with the embedded development issuer.
let server: RunningIngest;
// Every log line the server writes, to prove nothing sensitive reaches them.
const logLines: string[] = [];
const logSink = new Writable({
  write(chunk, _encoding, done) {
    logLines.push(String(chunk));
    done();
  },
});
let dir: string;
let token: string;
// biome-ignore lint/suspicious/noExplicitAny: a document edited freely in tests
let sale: Record<string, any>;
const FIXTURES = join(import.meta.dirname, '..', '..', 'normalizers', 'fixtures');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'poshub-ingest-'));
  const config = {
    ...ingestConfigFromEnv({ POSHUB_PORT: '0', POSHUB_DATA_DIR: dir }, dir),
    maxBodyBytes: 256 * 1024,
  };
  server = await startIngestServer(config, { logLevel: 'info', logDestination: logSink });
  token = await server.devIssuer!.mint({ clientId: 'till-0042-03', scopes: ['pos:write'], stores: ['0042'] });
  sale = JSON.parse(await readFile(join(FIXTURES, 'canonical', 'sale-two-lines.json'), 'utf8'));
}, 120_000);

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

function post(path: string, body: unknown, headers: Record<string, string> = {}, bearer = token) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function withSequence(sequence: string) {
  const copy = structuredClone(sale);
  copy.id = `evt-${sequence}`;
  copy.data.key.sequence = sequence;
  return copy;
}

async function storedCount(): Promise<number> {
  const admin = await server.devIssuer!.mint({ scopes: ['admin:read'] });
  const res = await fetch(`${server.url}/v1/stores/0042/business-days/2026-03-14`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  const body = (await res.json()) as { workstations: Array<{ transactions: number }> };
  return body.workstations.reduce((n, w) => n + w.transactions, 0);
}

describe('POST /v1/transactions', () => {
  it('commits a sale (201), replays the same key (Idempotent-Replayed), refuses the key with another body (422)', async () => {
    const first = await post('/v1/transactions', sale, { 'idempotency-key': 'sale-1187' });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({
      id: sale.id,
      status: 'accepted',
      businessKey: '0042|03|2026-03-14|1187',
    });
    const replay = await post('/v1/transactions', sale, { 'idempotency-key': 'sale-1187' });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const other = structuredClone(sale);
    other.data.receiptNumber = 'changed';
    const reused = await post('/v1/transactions', other, { 'idempotency-key': 'sale-1187' });
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers a resend of the business key: identical is 200 duplicate, different is 409 recorded', async () => {
    const dup = await post('/v1/transactions', sale, { 'idempotency-key': 'resend-1' });
    expect(dup.status).toBe(200);
    expect(await dup.json()).toMatchObject({ status: 'duplicate' });
    const changed = structuredClone(sale);
    changed.data.receiptNumber = 'changed';
    const conflict = await post('/v1/transactions', changed, { 'idempotency-key': 'resend-2' });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ existingEventId: sale.id });
  });

  it('lets concurrent requests with one key through once', async () => {
    const event = withSequence('5000');
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => post('/v1/transactions', event, { 'idempotency-key': 'same-key' })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(8 - statuses.filter((s) => s === 409).length);
    const created = await Promise.all(
      answers.map(async (a) => ({ s: a.status, replayed: a.headers.get('idempotent-replayed') })),
    );
    expect(created.filter((c) => c.s === 201 && c.replayed === null)).toHaveLength(1);
  });

  it('refuses bad input precisely and stores nothing', async () => {
    const before = await storedCount();
    const bad = withSequence('6000');
    bad.data.lines[0].item.description = 'paid with 4111 1111 1111 1111';
    const card = await post('/v1/transactions', bad, { 'idempotency-key': 'card' });
    expect(card.status).toBe(422);
    const cardBody = await card.text();
    expect(cardBody).toContain('card.full_number');
    expect(cardBody).toContain('/data/lines/0/item/description');
    expect(cardBody).not.toContain('4111');

    const unbalanced = withSequence('6001');
    unbalanced.data.tenders[1].change.minor = 1;
    const rules = await post('/v1/transactions', unbalanced, { 'idempotency-key': 'rules' });
    expect(rules.status).toBe(422);
    expect(await rules.json()).toMatchObject({
      problems: [{ code: 'tenders.unbalanced', pointer: '/data/tenders' }],
    });

    expect((await post('/v1/transactions', '{"oops":', { 'idempotency-key': 'm' })).status).toBe(400);
    expect((await post('/v1/transactions', withSequence('6002'))).status).toBe(400); // no Idempotency-Key
    expect(
      (await post('/v1/transactions', 'x', { 'idempotency-key': 'k', 'content-type': 'text/plain' })).status,
    ).toBe(415);
    const big = withSequence('6003');
    big.data.extensions = { padding: 'x'.repeat(300 * 1024) };
    expect((await post('/v1/transactions', big, { 'idempotency-key': 'big' })).status).toBe(413);
    const otherStore = withSequence('6004');
    otherStore.subject = '0099';
    otherStore.data.key.storeId = '0099';
    expect((await post('/v1/transactions', otherStore, { 'idempotency-key': 'store' })).status).toBe(403);
    expect(await storedCount()).toBe(before);
  });
});

describe('bearer tokens', () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const claims = () => ({
    iss: DEV_ISSUER,
    aud: 'poshub',
    scope: 'pos:write',
    exp: Math.floor(Date.now() / 1000) + 600,
  });

  it.each([
    ['no token', async () => ''],
    ['alg none', async () => `${b64({ alg: 'none' })}.${b64(claims())}.`],
    [
      'HS256 signed with the public key',
      async () => {
        const jwk = server.devIssuer!.jwks.keys[0]!;
        return new SignJWT(claims())
          .setProtectedHeader({ alg: 'HS256', kid: jwk.kid! })
          .sign(new TextEncoder().encode(JSON.stringify(jwk)));
      },
    ],
    ['wrong audience', async () => sign({ ...claims(), aud: 'someone-else' })],
    ['wrong issuer', async () => sign({ ...claims(), iss: 'https://evil.example' })],
    ['expired', async () => sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 3600 })],
    ['not valid yet', async () => sign({ ...claims(), nbf: Math.floor(Date.now() / 1000) + 3600 })],
    [
      'unknown kid',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return new SignJWT(claims())
          .setProtectedHeader({ alg: 'ES256', kid: 'not-published' })
          .sign(privateKey);
      },
    ],
  ])('%s: 401, nothing stored', async (_name, make) => {
    const before = await storedCount();
    const res = await post(
      '/v1/transactions',
      withSequence('7000'),
      { 'idempotency-key': `tok-${_name}` },
      await make(),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await storedCount()).toBe(before);
  });

  it('refuses a valid token without the pos:write scope (403)', async () => {
    const reader = await server.devIssuer!.mint({ scopes: ['admin:read'] });
    expect(
      (await post('/v1/transactions', withSequence('7001'), { 'idempotency-key': 'scope' }, reader)).status,
    ).toBe(403);
  });

  async function sign(payload: Record<string, unknown>) {
    // Signed with the issuer's own key, via a token minted then re-signed: use the dev issuer's key file.
    const stored = JSON.parse(await readFile(join(dir, 'dev-issuer-key.json'), 'utf8'));
    const { importJWK } = await import('jose');
    const key = await importJWK(stored.privateJwk, 'ES256');
    return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: stored.privateJwk.kid }).sign(key);
  }
});

describe('POST /v1/transactions/batch', () => {
  it('answers each item: bad items refused, good ones committed, keys per item', async () => {
    const good = withSequence('8001');
    const bad = withSequence('8002');
    bad.data.total.minor = 1;
    const wrapped = { idempotencyKey: 'batch-8003', event: withSequence('8003') };
    const res = await post('/v1/transactions/batch', [good, bad, wrapped]);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      accepted: number;
      refused: number;
      results: Array<{ index: number; status: number }>;
    };
    expect(body).toMatchObject({ accepted: 2, refused: 1 });
    expect(body.results.map((r) => r.status)).toEqual([201, 422, 201]);
    const ndjson = await post('/v1/transactions/batch', `${JSON.stringify(good)}\n{broken\n`, {
      'content-type': 'application/x-ndjson',
    });
    const nd = (await ndjson.json()) as { results: Array<{ status: number }> };
    expect(nd.results.map((r) => r.status)).toEqual([201, 400]);
  });

  it('refuses a batch over the limit', async () => {
    const res = await post(
      '/v1/transactions/batch',
      Array.from({ length: 1001 }, () => ({})),
    );
    expect(res.status).toBe(413);
  });
});

describe('POST /v1/ingest/:format and the day report', () => {
  it('ingests a POSLog day, then reports its workstations with a sequence gap', async () => {
    const admin = await server.devIssuer!.mint({ clientId: 'erp', scopes: ['pos:write', 'admin:read'] });
    const xml = await readFile(join(FIXTURES, 'poslog', 'small-sale-loyalty.xml'), 'utf8');
    const res = await post('/v1/ingest/poslog', xml, { 'content-type': 'application/xml' }, admin);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ format: 'poslog', accepted: 2 });
    const again = await post('/v1/ingest/poslog', xml, { 'content-type': 'application/xml' }, admin);
    expect(
      ((await again.json()) as { results: Array<{ status: number }> }).results.map((r) => r.status),
    ).toEqual([201, 201]);
    const lineVoid = await readFile(join(FIXTURES, 'poslog', 'line-void.xml'), 'utf8');
    await post('/v1/ingest/poslog', lineVoid, { 'content-type': 'application/xml' }, admin);
    const report = await fetch(`${server.url}/v1/stores/9/business-days/2017-09-30`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const day = (await report.json()) as {
      workstations: Array<{ workstationId: string; transactions: number; gaps: string[] }>;
    };
    const ws34 = day.workstations.find((w) => w.workstationId === '34');
    expect(ws34).toMatchObject({ transactions: 3, gaps: [] });
  });

  it('refuses a document that cannot be accepted with every problem', async () => {
    const res = await post('/v1/ingest/shopify', '{"order": {"id": 1, "total_price": "12,34"}}');
    expect(res.status).toBe(422);
  });
});

describe('logs', () => {
  it('carry one structured line per request and no card number, personal data or token', async () => {
    const admin = await server.devIssuer!.mint({ clientId: 'erp', scopes: ['pos:write'] });
    const customer = await readFile(join(FIXTURES, 'shopify', 'rest-customer.json'), 'utf8');
    expect((await post('/v1/ingest/shopify', customer, {}, admin)).status).toBe(200);
    const text = logLines.join('');
    expect(text).toContain('"route":"/v1/ingest/:format"');
    // The card's digits as they were sent (a bare 4111 can appear in a random request id).
    expect(text).not.toMatch(/4111 1111|4111111111|5555 5555|bob\.norman|Norman|Bearer|eyJ/);
  });
});

describe('operations', () => {
  it('serves health, readiness, metrics, the OpenAPI document and its docs page', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${server.url}/readyz`)).json()).toMatchObject({
      status: 'ready',
      database: 'pglite',
    });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('poshub_http_requests_total');
    expect(metrics).toContain('poshub_group_commit_batch_size');
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/v1/transactions/batch');
    expect(await (await fetch(`${server.url}/docs`)).text()).toContain('swagger-ui');
    expect((await fetch(`${server.url}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });
});
