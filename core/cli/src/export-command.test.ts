import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ingestConfigFromEnv, type RunningIngest, startIngestServer } from '@poshub/ingest';
import { makeEvent } from '@poshub/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCommand } from './export-command.ts';
import type { Output } from './output.ts';

async function run(args: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  let progress = '';
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
  const bar = new PassThrough();
  bar.on('data', (chunk) => {
    progress += String(chunk);
  });
  const code = await exportCommand(args, out, env, bar);
  return { code, stdout, stderr, progress };
}

const eur = (minor: number) => ({ minor, currency: 'EUR', exponent: 2 });

/** A card sale of 10.00 at workstation 01. */
function sale(store: string, day: string, seq: number) {
  return makeEvent(
    'sale.completed.v1',
    {
      kind: 'sale',
      trainingMode: false,
      key: {
        storeId: store,
        workstationId: '01',
        businessDay: day,
        sequence: String(seq),
        businessDaySource: 'source',
      },
      currency: 'EUR',
      occurredAt: { raw: `${day}T12:00:00Z`, source: 'explicit' },
      channel: 'store',
      lines: [
        {
          lineNumber: '1',
          direction: 'sale',
          voided: false,
          item: { sku: 'A', ids: [] },
          quantity: '1',
          extendedAmount: eur(1000),
          discounts: [],
          taxes: [],
        },
      ],
      discounts: [],
      taxes: [],
      fees: [],
      tenders: [{ type: 'card', amount: eur(1000), purpose: 'payment', status: 'approved', ids: [] }],
      total: eur(1000),
      stated: {},
      links: [],
      source: { system: 'test-pos', format: 'canonical', ids: [], timestamps: {} },
    },
    { source: `/test-pos/${store}`, subject: store, identity: `${store}|01|${day}|${seq}` },
  );
}

describe('poshub export against a real hub (PGlite, development issuer)', () => {
  let server: RunningIngest;
  let dir: string;
  let erp: string;
  let till: string;
  const day = '2026-03-14';

  const postSales = async (store: string, from: number, to: number) => {
    const events = Array.from({ length: to - from + 1 }, (_, i) => sale(store, day, from + i));
    const res = await fetch(`${server.url}/v1/transactions/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${till}`, 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    expect(((await res.json()) as { accepted: number }).accepted).toBe(events.length);
  };
  const sequences = (text: string) =>
    text
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { data: { key: { sequence: string } } }).data.key.sequence);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poshub-cli-export-'));
    server = await startIngestServer(ingestConfigFromEnv({ POSHUB_PORT: '0', POSHUB_DATA_DIR: dir }, dir), {
      logLevel: 'silent',
    });
    erp = await server.devIssuer!.mint({ clientId: 'erp-nightly', scopes: ['erp:batch'] });
    till = await server.devIssuer!.mint({ clientId: 'till', scopes: ['pos:write'] });
    await postSales('0042', 1, 45);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the journal to a file page by page with a progress line, signing in through the development issuer', async () => {
    const file = join(dir, 'journal.ndjson');
    const r = await run(['sales', '--store', '0042', '--day', day, '--out', file, '--page-size', '10'], {
      POSHUB_URL: server.url,
      POSHUB_DATA_DIR: dir,
    });
    expect(r.stderr).toContain(
      'Signed in with a 1-hour erp:batch token from the embedded development issuer.',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`45 event(s) of store 0042 on ${day} written to ${file}`);
    expect(r.progress).toContain('45/45 events');
    expect(sequences(await readFile(file, 'utf8'))).toEqual(
      Array.from({ length: 45 }, (_, i) => String(i + 1)),
    );
    await expect(access(`${file}.export.json`)).rejects.toThrow();
    await expect(access(`${file}.partial`)).rejects.toThrow();
  });

  it('resumes an interrupted export from its cursor, in the snapshot it started, dropping a half-written page', async () => {
    const store = '0043';
    await postSales(store, 1, 25);
    // The interrupted run: its first page of 10 written, the second one cut mid-line.
    const first = await fetch(`${server.url}/v1/exports/sales?store=${store}&businessDay=${day}&limit=10`, {
      headers: { authorization: `Bearer ${erp}` },
    });
    const pageOne = await first.text();
    const next = new URL(/<([^>]+)>/.exec(first.headers.get('link')!)![1]!, server.url).searchParams.get(
      'cursor',
    )!;
    const file = join(dir, 'resumed.ndjson');
    await writeFile(`${file}.partial`, `${pageOne}{"specversion":"1.0","id":"cut-`);
    await writeFile(
      `${file}.export.json`,
      JSON.stringify({ storeId: store, businessDay: day, cursor: next, bytes: Buffer.byteLength(pageOne) }),
    );
    // Sales keep arriving for the day meanwhile: the resumed export stays with its snapshot.
    await postSales(store, 26, 30);

    const env = { POSHUB_URL: server.url, POSHUB_TOKEN: erp };
    const r = await run(['sales', '--store', store, '--day', day, '--out', file, '--page-size', '10'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Resuming the export at event 10 of 25.');
    expect(r.stderr).toContain('(resumed at event 10)');
    expect(sequences(await readFile(file, 'utf8'))).toEqual(
      Array.from({ length: 25 }, (_, i) => String(i + 1)),
    );

    // To stdout, a fresh export sees all thirty.
    const all = await run(['sales', '--store', store, '--day', day], env);
    expect(all.code).toBe(0);
    expect(sequences(all.stdout)).toHaveLength(30);
  });

  it('prints the day summary as JSON; a bad day or a missing store is a usage error', async () => {
    const env = { POSHUB_URL: server.url, POSHUB_TOKEN: erp };
    const r = await run(['sales', '--store', '0042', '--day', day, '--summary'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      storeId: '0042',
      businessDay: day,
      events: 45,
      transactions: { sale: 45 },
      takings: [eur(45_000)],
      byTender: [{ type: 'card', amount: eur(45_000), count: 45 }],
    });
    expect((await run(['sales', '--store', '0042', '--day', '14/03/2026'], env)).code).toBe(2);
    expect((await run(['sales', '--day', day], env)).code).toBe(2);
    expect((await run(['journal', '--store', '0042', '--day', day], env)).code).toBe(2);
    const refused = await run(['sales', '--store', '0042', '--day', day], { ...env, POSHUB_TOKEN: till });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Forbidden (403)');
  });
});
