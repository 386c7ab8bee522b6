import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestConfigFromEnv } from './ingest-config.ts';
import { type RunningIngest, startIngestServer } from './start-ingest-server.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'normalizers', 'fixtures');

describe('POSHUB_DISPATCH', () => {
  it('is on by default, off when asked, and refuses anything else naming the variable', () => {
    const dir = tmpdir();
    expect(ingestConfigFromEnv({}, dir).dispatch).toBe(true);
    expect(ingestConfigFromEnv({ POSHUB_DISPATCH: 'off' }, dir).dispatch).toBe(false);
    expect(() => ingestConfigFromEnv({ POSHUB_DISPATCH: 'no' }, dir)).toThrow(
      /POSHUB_DISPATCH must be on or off/,
    );
  });
});

describe('an API-only process (POSHUB_DISPATCH=off, PGlite)', () => {
  let server: RunningIngest;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poshub-api-only-'));
    const config = ingestConfigFromEnv(
      { POSHUB_PORT: '0', POSHUB_DATA_DIR: dir, POSHUB_DISPATCH: 'off' },
      dir,
    );
    server = await startIngestServer(config, { logLevel: 'silent' });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('commits sales with their outbox rows and leaves publishing to the dispatching process', async () => {
    const token = await server.devIssuer!.mint({
      clientId: 'till-0042-03',
      scopes: ['pos:write'],
      stores: ['0042'],
    });
    const sale = JSON.parse(await readFile(join(FIXTURES, 'canonical', 'sale-two-lines.json'), 'utf8'));
    const res = await fetch(`${server.url}/v1/transactions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': 'api-only-1',
      },
      body: JSON.stringify(sale),
    });
    expect(res.status).toBe(201);
    // No relay here: after a while the outbox row is still unpublished, for the other process to send.
    await new Promise((r) => setTimeout(r, 500));
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/poshub_dispatch_outbox_unpublished 1\b/);
    expect(await (await fetch(`${server.url}/readyz`)).json()).not.toHaveProperty('dispatch');
  });
});
