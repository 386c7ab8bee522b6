import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { fileDigest } from '@poshub/batch';
import { ingestConfigFromEnv, type RunningIngest, startIngestServer } from '@poshub/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCommand, importJobKey } from './import-command.ts';
import type { Output } from './output.ts';

async function run(args: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const out: Output = {
    data: (text) => {
      stdout += `${text}\n`;
    },
    write: (text) => {
      stdout += text;
    },
    info: (text) => {
      stderr += `${text}\n`;
    },
    color: false,
  };
  const code = await importCommand(args, out, env, new PassThrough());
  return { code, stdout, stderr };
}

describe('poshub import against a real hub (PGlite, development issuer)', () => {
  let server: RunningIngest;
  let dir: string;
  let token: string;
  let csvFile: string;
  let csvText: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poshub-cli-import-'));
    const config = ingestConfigFromEnv({ POSHUB_PORT: '0', POSHUB_DATA_DIR: dir }, dir);
    server = await startIngestServer(config, { logLevel: 'silent' });
    token = await server.devIssuer!.mint({ clientId: 'erp-nightly', scopes: ['erp:batch'] });
    const rows = Array.from({ length: 3000 }, (_, i) => `SKU-${i},0042,,${(i % 900) + 1}.99,EUR,2026-04-01`);
    rows.splice(1000, 0, 'BAD-1,0042,,1.999,EUR,2026-04-01');
    rows.splice(2500, 0, 'BAD-2,0042,,1.00,EUR,someday');
    csvText = `sku,storeId,priceListId,amount,currency,effectiveFrom\n${rows.join('\n')}\n`;
    csvFile = join(dir, 'prices.csv');
    await writeFile(csvFile, csvText);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('resumes the import an interrupted run left half-done, prints a summary and saves the rejected rows', async () => {
    // The interrupted run: the job under the command's own key, with the first 40% of the file sent.
    const key = importJobKey('price', 'csv', await fileDigest(csvFile));
    const bytes = Buffer.from(csvText);
    const auth = { authorization: `Bearer ${token}` };
    const created = await fetch(`${server.url}/v1/imports`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'price', format: 'csv', key, length: bytes.length }),
    });
    const job = (await created.json()) as { id: string };
    const part = Math.floor(bytes.length * 0.4);
    const first = await fetch(`${server.url}/v1/imports/${job.id}`, {
      method: 'PATCH',
      headers: { ...auth, 'upload-offset': '0' },
      body: bytes.subarray(0, part),
    });
    expect(first.status).toBe(200);

    const errors = join(dir, 'errors.ndjson');
    const env = { POSHUB_URL: server.url, POSHUB_TOKEN: token };
    const args = [csvFile, '--type', 'price', '--chunk-mb', '0.02', '--errors', errors];
    const done = await run(args, env);
    expect(done.stderr).toContain(`Resuming import ${job.id}: the hub already has`);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(`Import ${job.id} completed`);
    expect(done.stdout).toContain('rows: 3,002 read, 3,000 accepted, 2 rejected');
    expect(done.stdout).toContain(`errors: 2 rejected rows saved to ${errors}`);
    const saved = (await readFile(errors, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { row: number; line: number; problems: Array<{ pointer: string }> });
    expect(saved.map((e) => [e.row, e.line, e.problems[0]!.pointer])).toEqual([
      [1001, 1002, '/amount'],
      [2501, 2502, '/effectiveFrom'],
    ]);
    const view = (await (await fetch(`${server.url}/v1/imports/${job.id}`, { headers: auth })).json()) as {
      chunksReceived: number;
      rows: { read: number };
    };
    expect(view.chunksReceived).toBeGreaterThan(3);

    // The same command again finds the import done and imports nothing twice.
    const again = await run(args, env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Import ${job.id} completed`);
    expect(again.stdout).toContain('rows: 3,002 read, 3,000 accepted');
  });

  it('signs in through the embedded development issuer and sends a gzip file compressed, as JSON', async () => {
    const file = join(dir, 'stock.ndjson.gz');
    const rows = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({ sku: `S${i}`, locationId: '0042', onHand: String(i), asOf: '2026-04-01T06:00:00Z' }),
    );
    await writeFile(file, gzipSync(`${rows.join('\n')}\n`));
    const r = await run([file, '--type', 'stock', '--gzip', '--json'], {
      POSHUB_URL: server.url,
      POSHUB_DATA_DIR: dir,
    });
    expect(r.stderr).toContain(
      'Signed in with a 1-hour erp:batch token from the embedded development issuer.',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      type: 'stock',
      format: 'ndjson',
      status: 'completed',
      eventType: 'inventory.levels.imported.v1',
      rows: { read: 50, accepted: 50, rejected: 0 },
    });
  });

  it('explains what is wrong with the command line, the file or the token', async () => {
    const env = { POSHUB_URL: server.url, POSHUB_TOKEN: token };
    expect((await run([csvFile], env)).code).toBe(2);
    expect((await run([csvFile, '--type', 'recipes'], env)).code).toBe(2);
    expect((await run([join(dir, 'prices.xlsx'), '--type', 'price'], env)).code).toBe(2);
    const missing = await run([join(dir, 'missing.csv'), '--type', 'price'], env);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('ENOENT') });
    const till = await server.devIssuer!.mint({ scopes: ['pos:write'], stores: ['0042'] });
    const refused = await run([csvFile, '--type', 'price'], { POSHUB_URL: server.url, POSHUB_TOKEN: till });
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('Forbidden (403)') });
  });
});
