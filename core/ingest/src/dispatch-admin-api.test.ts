import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeliveryTarget } from '@poshub/dispatch';
import type { CanonicalEvent } from '@poshub/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestConfigFromEnv } from './ingest-config.ts';
import { type RunningIngest, startIngestServer } from './start-ingest-server.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'normalizers', 'fixtures');

describe('dispatch through the hub: delivery state and the admin API (PGlite, embedded queue)', () => {
  let server: RunningIngest;
  let dir: string;
  let till: string;
  let reader: string;
  let writer: string;
  // biome-ignore lint/suspicious/noExplicitAny: a document edited freely in tests
  let sale: Record<string, any>;
  let targetUp = false;
  const applied: CanonicalEvent[] = [];
  const erp: DeliveryTarget = {
    id: 'test-erp',
    types: ['sale.completed.v1'],
    retry: { baseMs: 10, capMs: 50, maxAttempts: 2 },
    async handle(event) {
      if (!targetUp)
        return { ok: false, error: { retryable: false, type: 'http_400', message: 'store not mapped' } };
      applied.push(event);
      return { ok: true };
    },
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poshub-admin-'));
    const config = ingestConfigFromEnv({ POSHUB_PORT: '0', POSHUB_DATA_DIR: dir }, dir);
    server = await startIngestServer(config, { logLevel: 'silent', targets: [erp] });
    till = await server.devIssuer!.mint({
      clientId: 'till-0042-03',
      scopes: ['pos:write'],
      stores: ['0042'],
    });
    reader = await server.devIssuer!.mint({ clientId: 'ops-viewer', scopes: ['admin:read'] });
    writer = await server.devIssuer!.mint({ clientId: 'ops-alice', scopes: ['admin:read', 'admin:write'] });
    sale = JSON.parse(await readFile(join(FIXTURES, 'canonical', 'sale-two-lines.json'), 'utf8'));
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, token: string, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': `k-${path}`,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('not within time');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("reports in /readyz whether its connectors' lanes are consuming yet", async () => {
    await eventually(async () => {
      const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { dispatch?: string };
      return ready.dispatch === 'consuming' ? ready : undefined;
    });
  });

  it('dispatches an accepted sale, shows its per-connector state, dead-letters it, and replays it after a dry run', async () => {
    const res = await call('POST', '/v1/transactions', till, sale);
    expect(res.status).toBe(201);

    const dead = await eventually(async () => {
      const r = await call('GET', `/v1/transactions/${sale.id}`, reader);
      const body = (await r.json()) as { delivery: { connectors: Array<{ status: string }> } };
      return body.delivery.connectors[0]?.status === 'dead' ? body : undefined;
    });
    expect(dead.delivery).toMatchObject({
      state: 'published',
      connectors: [{ connector: 'test-erp', status: 'dead', attempts: 1, lastErrorType: 'http_400' }],
    });

    // Reading needs admin:read; a till cannot.
    expect((await call('GET', '/v1/admin/deliveries', till)).status).toBe(403);
    const list = await call('GET', '/v1/admin/deliveries?connector=test-erp&status=dead', reader);
    expect(list.status).toBe(200);
    const listed = (await list.json()) as { items: Array<{ eventId: string; lastErrorType: string }> };
    expect(listed.items).toEqual([expect.objectContaining({ eventId: sale.id, lastErrorType: 'http_400' })]);
    const bad = await call('GET', '/v1/admin/deliveries?status=lost&color=red', reader);
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');

    const detail = await call('GET', `/v1/admin/deliveries/test-erp/${sale.id}`, reader);
    expect(((await detail.json()) as { attemptHistory: unknown[] }).attemptHistory).toHaveLength(1);

    // Changing needs admin:write; replays are dry runs unless asked otherwise.
    expect((await call('POST', '/v1/admin/replays', reader, { connector: 'test-erp' })).status).toBe(403);
    expect((await call('POST', '/v1/admin/replays', writer, { connector: 'nope' })).status).toBe(404);
    expect(
      (await call('POST', '/v1/admin/replays', writer, { connector: 'test-erp', since: 'yesterday' })).status,
    ).toBe(422);
    const dry = await call('POST', '/v1/admin/replays', writer, { connector: 'test-erp' });
    expect(dry.status).toBe(200);
    expect(await dry.json()).toMatchObject({
      dryRun: true,
      count: 1,
      items: [{ eventId: sale.id, was: 'dead' }],
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(applied).toEqual([]);

    // An edit carrying a card number is refused and not stored.
    const withCard = structuredClone(sale.data);
    withCard.receiptNumber = '4111111111111111';
    const refused = await call('PUT', `/v1/admin/deliveries/test-erp/${sale.id}/payload`, writer, {
      data: withCard,
      reason: 'fix receipt',
    });
    expect(refused.status).toBe(422);
    const after = await call('GET', `/v1/admin/deliveries/test-erp/${sale.id}`, reader);
    expect(((await after.json()) as { edits: unknown[] }).edits).toEqual([]);

    targetUp = true;
    const run = await call('POST', '/v1/admin/replays', writer, { connector: 'test-erp', dryRun: false });
    expect(run.status).toBe(202);
    await eventually(async () => (applied.length === 1 ? true : undefined));
    expect(applied[0]!.id).toBe(sale.id);

    const connectors = await call('GET', '/v1/admin/connectors', reader);
    expect(await connectors.json()).toMatchObject({
      connectors: [{ id: 'test-erp', types: ['sale.completed.v1'], deliveries: { applied: 1 } }],
    });

    // The dispatch metrics on /metrics tell the same story: one dead-letter, then applied after the replay.
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('poshub_dispatch_deliveries_total{connector="test-erp",outcome="dead"} 1');
    expect(metrics).toContain('poshub_dispatch_deliveries_total{connector="test-erp",outcome="applied"} 1');
    expect(metrics).toContain('poshub_dispatch_in_flight{connector="test-erp"} 0');
    expect(metrics).toMatch(/poshub_dispatch_delivery_latency_seconds_count\{connector="test-erp"\} 1/);
    expect(metrics).toContain('poshub_dispatch_outbox_unpublished 0');
  });
});
