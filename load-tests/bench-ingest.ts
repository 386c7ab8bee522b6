// pnpm bench:ingest: the real ingest server on the real PostgreSQL (synchronous_commit on) with the real
// OAuth2 issuer, driven by wrk with many concurrent tills posting ~1.8 KB sales; then, in the same run, a bare
// Hono endpoint on the same machine, so the ratio to the ceiling is visible. Loopback only; bounded in time.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readServiceUrls } from '@poshub/local-services';
import pg from 'pg';

const REPO = join(import.meta.dirname, '..');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 128);
const DURATION = process.env.BENCH_DURATION ?? '20s';
const API = 'https://api.poshub.local';

execFileSync('bash', [join(REPO, 'infra/local/services.sh'), 'up', 'postgres', 'oidc'], {
  stdio: 'inherit',
});
const services = readServiceUrls();

const run = `${process.pid}-${Date.now()}`;
const database = `poshub_bench_${run.replace('-', '_')}`;
const admin = new pg.Client({ connectionString: services.databaseUrl });
await admin.connect();
await admin.query(`create database ${database}`);
const dbUrl = new URL(services.databaseUrl);
dbUrl.pathname = `/${database}`;

const saleFile = join(tmpdir(), `poshub-bench-sale-${run}.json`);
const sale = JSON.parse(
  readFileSync(join(REPO, 'core/normalizers/fixtures/canonical/sale-two-lines.json'), 'utf8'),
);
writeFileSync(saleFile, JSON.stringify(sale));
const saleBytes = Buffer.byteLength(JSON.stringify(sale));

const tokenRes = await fetch(services.oidc.tokenEndpoint, {
  method: 'POST',
  headers: { authorization: `Basic ${Buffer.from('pos-terminal:pos-terminal-secret').toString('base64')}` },
  body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'pos:write', resource: API }),
});
const token = ((await tokenRes.json()) as { access_token: string }).access_token;

function start(command: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (ready.test(seen)) resolve(child);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) =>
      reject(new Error(`${command.join(' ')} exited ${code}: ${seen.slice(-2000)}`)),
    );
  });
}

/** Peak resident memory of a process (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

// wrk (C, from Debian) rather than k6 for the figures: k6's JavaScript VUs take most of a core here and
// cap even a bare Hono endpoint near 2.9k req/s; wrk leaves the cores to the server and PostgreSQL.
function ensureWrk(): string {
  try {
    return execFileSync('bash', ['-c', 'command -v wrk']).toString().trim();
  } catch {
    execFileSync('apt-get', ['install', '-y', '-q', 'wrk'], { stdio: 'inherit' });
    return execFileSync('bash', ['-c', 'command -v wrk']).toString().trim();
  }
}
const wrk = ensureWrk();

function load(url: string): { rps: number; ok: number; failed: number; p50: number; p99: number } {
  const target = new URL(url);
  const out = execFileSync(
    wrk,
    [
      '-t1',
      `-c${CONNECTIONS}`,
      `-d${DURATION}`,
      '-s',
      join(import.meta.dirname, 'ingest-sales.wrk.lua'),
      target.origin,
    ],
    { env: { ...process.env, TOKEN: token, SALE_FILE: saleFile, RUN: run, TARGET_PATH: target.pathname } },
  ).toString();
  const m = /RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)/.exec(out);
  if (!m) throw new Error(`wrk printed no result:\n${out}`);
  const [requests, errors, seconds, p50, p99] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { rps: requests / seconds, ok: requests - errors, failed: errors, p50, p99 };
}

const hub = await start(
  [join(REPO, 'core/cli/src/main.ts'), 'serve', '--port', '18088'],
  {
    DATABASE_URL: dbUrl.toString(),
    OIDC_ISSUER: services.oidc.issuer,
    OIDC_JWKS_URI: services.oidc.jwksUri,
    OIDC_AUDIENCE: API,
    POSHUB_LOG_LEVEL: 'warn',
    POSHUB_RATE_PER_SECOND: '1000000',
    POSHUB_RATE_BURST: '1000000',
  },
  /Serving until/,
);
let hubResult: ReturnType<typeof load>;
let hubRss: number;
try {
  hubResult = load('http://127.0.0.1:18088/v1/transactions');
  hubRss = peakRssMb(hub.pid!);
} finally {
  hub.kill('SIGTERM');
}
const bare = await start([join(import.meta.dirname, 'bare-hono-server.ts')], { PORT: '18090' }, /listening/);
let bareResult: ReturnType<typeof load>;
try {
  bareResult = load('http://127.0.0.1:18090/bare');
} finally {
  bare.kill('SIGTERM');
}
const check = new pg.Client({ connectionString: dbUrl.toString() });
await check.connect();
const events = Number((await check.query('select count(*) from events')).rows[0].count);
const outbox = Number((await check.query('select count(*) from outbox')).rows[0].count);
await check.end();
await admin.query(`drop database if exists ${database} with (force)`);
await admin.end();

const f = (n: number) => n.toFixed(1);
console.log(
  `\ningest benchmark: ${CONNECTIONS} concurrent connections (wrk), ${DURATION}, ${saleBytes}-byte sales, PostgreSQL synchronous_commit=on, ${execFileSync('nproc').toString().trim()} cores shared by PostgreSQL, wrk and the hub`,
);
console.log(
  `  poshub  POST /v1/transactions  ${f(hubResult.rps)} req/s  answered ${hubResult.ok}  errors (non-2xx or timeouts) ${hubResult.failed}  p50 ${f(hubResult.p50)} ms  p99 ${f(hubResult.p99)} ms  peak RSS ${f(hubRss)} MB`,
);
console.log(
  `  bare    POST /bare (Hono)      ${f(bareResult.rps)} req/s  p50 ${f(bareResult.p50)} ms  p99 ${f(bareResult.p99)} ms`,
);
console.log(`  ratio   poshub / bare Hono = ${f((100 * hubResult.rps) / bareResult.rps)} %`);
console.log(`  durable rows: ${events} events, ${outbox} outbox rows (every 201 is one of each)`);
console.log(
  `  target  >= 8000 sales/s with p99 < 50 ms: ${hubResult.rps >= 8000 && hubResult.p99 < 50 ? 'met' : 'NOT met'}`,
);
