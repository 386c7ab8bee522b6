// pnpm bench:import: 1,000,000 price rows (BENCH_IMPORT_ROWS) imported through the real HTTP API, by the
// real client (`pnpm poshub import`, resumable chunks), into a real `poshub serve` on PostgreSQL
// (synchronous_commit on) with the real OAuth2 issuer, in a scratch database. Prints rows/s, total seconds
// and the hub's peak RSS against the target: under 60 s and under 300 MB.
//
// The rows are generated into a temporary NDJSON file as a stream (never held in memory): BENCH_STORES
// stores x the rest SKUs, sorted by store as an ERP exports them, so accepted rows leave in full batch
// events of 1,000 (1,000,000 rows -> 1,000 events). The hub runs as its own process; its RSS is read from
// /proc/<pid>/status: VmRSS sampled every 100 ms during the import, and VmHWM (the kernel's high-water mark
// over the process's life, startup included). BENCH_HUB_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
// or "--trace-gc"; empty for Node's defaults) runs the hub once with those node options instead of the two
// configurations below; BENCH_HUB_LOG=<file> keeps the hub's output.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readServiceUrls } from '@poshub/local-services';
import { requireService } from '@poshub/local-services/require-service';
import { freePort } from './fault/hub-process.ts';
import { API_AUDIENCE, createScratchDatabase, scratchHubEnv } from './fault/scratch-hub.ts';

const REPO = join(import.meta.dirname, '..');
const MAIN = join(REPO, 'core', 'cli', 'src', 'main.ts');
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const STORES = Number(process.env.BENCH_STORES ?? 100);
const CHUNK_MB = process.env.BENCH_CHUNK_MB ?? '16';
const TARGET_SECONDS = 60;
const TARGET_RSS_MB = 300;

const services = readServiceUrls();
await requireService('postgres', services.databaseUrl);
await requireService('oidc', services.oidc.issuer);

/** Writes the price file as a stream; returns its size. */
async function writePrices(path: string): Promise<number> {
  const out = createWriteStream(path);
  const perStore = Math.ceil(ROWS / STORES);
  let written = 0;
  let block: string[] = [];
  for (let s = 0; s < STORES && written < ROWS; s++) {
    const storeId = `S${String(s + 1).padStart(3, '0')}`;
    for (let i = 0; i < perStore && written < ROWS; i++, written++) {
      block.push(
        `{"sku":"SKU-${String(i).padStart(7, '0')}","storeId":"${storeId}","amount":{"minor":${99 + ((i * 37) % 99_901)},"currency":"EUR","exponent":2},"effectiveFrom":"2026-04-01"}\n`,
      );
      if (block.length === 10_000) {
        if (!out.write(block.join(''))) await once(out, 'drain');
        block = [];
      }
    }
  }
  out.end(block.join(''));
  await once(out, 'finish');
  return (await stat(path)).size;
}

async function erpToken(): Promise<string> {
  const res = await fetch(services.oidc.tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('erp-sync:erp-sync-secret').toString('base64')}` },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'erp:batch',
      resource: API_AUDIENCE,
    }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`the issuer refused a token: ${JSON.stringify(body)}`);
  return body.access_token;
}

function kb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function waitReady(url: string, hub: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (hub.exitCode !== null) throw new Error(`the hub exited (${hub.exitCode}):\n${log()}`);
    const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the hub was not ready in 90 s:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Figures {
  label: string;
  seconds: number;
  hubSeconds: number;
  idleMb: number;
  peakMb: number;
  accepted: number;
}

/** One import of `file` into a fresh hub (its own scratch database) started with `nodeArgs`. */
async function importOnce(file: string, dir: string, label: string, nodeArgs: string[]): Promise<Figures> {
  const run = `${process.pid}_${Date.now().toString(36)}`;
  const database = await createScratchDatabase(`poshub_benchi_${run}`);
  let hub: ChildProcess | undefined;
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = scratchHubEnv({
      databaseUrl: database.url,
      dataDir: dir,
      transport: 'embedded',
      namespace: `benchi-${run}`,
      targetUrl: 'http://127.0.0.1:9',
      extra: { POSHUB_PORT: String(port), NO_COLOR: '1' },
    });
    // The import path alone: no connector (the relay still publishes the batch events).
    delete env.POSHUB_CONNECTORS;
    delete env.FAULT_TARGET_URL;
    let hubLog = '';
    hub = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', ...nodeArgs, MAIN, 'serve'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logFile = process.env.BENCH_HUB_LOG ? createWriteStream(process.env.BENCH_HUB_LOG) : undefined;
    const keep = (d: Buffer) => {
      logFile?.write(d);
      hubLog = (hubLog + d.toString()).slice(-20_000);
    };
    hub.stdout!.on('data', keep);
    hub.stderr!.on('data', keep);
    await waitReady(url, hub, () => hubLog);
    const pid = hub.pid!;
    const idle = kb(pid, 'VmRSS');
    const token = await erpToken();

    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, kb(pid, 'VmRSS'));
    }, 100);
    const started = performance.now();
    const client = spawn(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        MAIN,
        'import',
        file,
        '--type',
        'price',
        '--json',
        '--hub',
        url,
        '--token',
        token,
        '--chunk-mb',
        CHUNK_MB,
      ],
      { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    client.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    client.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const [code] = (await once(client, 'exit')) as [number];
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, kb(pid, 'VmRSS'), kb(pid, 'VmHWM'));
    if (code !== 0) {
      throw new Error(`poshub import exited ${code}:\n${stderr}\n${stdout}\nhub:\n${hubLog.slice(-4000)}`);
    }
    const job = JSON.parse(stdout) as {
      id: string;
      status: string;
      rows: { read: number; accepted: number; rejected: number };
      batches: number;
      createdAt: string;
      completedAt: string;
    };
    const hubSeconds = (Date.parse(job.completedAt) - Date.parse(job.createdAt)) / 1000;
    const n = (x: number) => Math.round(x).toLocaleString('en-US');
    console.log(`${label}`);
    console.log(
      `  job ${job.id}: ${job.status}, ${n(job.rows.read)} read, ${n(job.rows.accepted)} accepted, ${job.rows.rejected} rejected, ${job.batches} batch events`,
    );
    console.log(
      `  ${seconds.toFixed(1)} s end to end (client start to summary): ${n(ROWS / seconds)} rows/s; ${hubSeconds.toFixed(1)} s on the hub (job created -> completed): ${n(ROWS / hubSeconds)} rows/s`,
    );
    console.log(
      `  hub RSS: ${(idle / 1024).toFixed(0)} MB idle, peak ${(peak / 1024).toFixed(0)} MB (VmRSS every 100 ms and VmHWM of the hub process)`,
    );
    return {
      label,
      seconds,
      hubSeconds,
      idleMb: idle / 1024,
      peakMb: peak / 1024,
      accepted: job.rows.accepted,
    };
  } finally {
    if (hub && hub.exitCode === null) {
      hub.kill('SIGTERM');
      await Promise.race([once(hub, 'exit'), new Promise((r) => setTimeout(r, 20_000))]);
      if (hub.exitCode === null) hub.kill('SIGKILL');
    }
    await database.drop().catch(() => {});
  }
}

// Unless BENCH_HUB_NODE_ARGS names one configuration, the hub runs twice: as `poshub serve` ships (Node's
// default young generation, which V8 grows to tens of MB under this allocation rate), and with the young
// generation capped (--max-semi-space-size=4), which is what a memory-limited deployment would set.
const configurations: Array<[string, string[]]> =
  process.env.BENCH_HUB_NODE_ARGS !== undefined
    ? [
        [
          `hub node ${process.env.BENCH_HUB_NODE_ARGS || '(defaults)'}:`,
          process.env.BENCH_HUB_NODE_ARGS.split(' ').filter(Boolean),
        ],
      ]
    : [
        ['hub with Node defaults:', []],
        ['hub with --max-semi-space-size=4:', ['--max-semi-space-size=4']],
      ];

const dir = await mkdtemp(join(tmpdir(), 'poshub-bench-import-'));
try {
  const file = join(dir, 'prices.ndjson');
  const generated = performance.now();
  const bytes = await writePrices(file);
  console.log(
    `bench:import on ${process.platform}/${process.arch}, ${cpus().length} cores: ${ROWS.toLocaleString('en-US')} price rows over ${STORES} stores, ${(bytes / 1024 / 1024).toFixed(1)} MB NDJSON (generated in ${((performance.now() - generated) / 1000).toFixed(1)} s), sent in ${CHUNK_MB} MB chunks`,
  );
  const results: Figures[] = [];
  for (const [label, args] of configurations) results.push(await importOnce(file, dir, label, args));
  for (const r of results) {
    const met = r.accepted === ROWS && r.seconds < TARGET_SECONDS && r.peakMb < TARGET_RSS_MB;
    console.log(
      `target < ${TARGET_SECONDS} s and < ${TARGET_RSS_MB} MB RSS, ${r.label.replace(/:$/, '')}: ${met ? 'MET' : 'NOT MET'} (${r.seconds.toFixed(1)} s, ${r.peakMb.toFixed(0)} MB)`,
    );
  }
  if (!results.some((r) => r.accepted === ROWS && r.seconds < TARGET_SECONDS && r.peakMb < TARGET_RSS_MB)) {
    process.exitCode = 1;
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
