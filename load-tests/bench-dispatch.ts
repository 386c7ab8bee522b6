// pnpm bench:dispatch [transport...]: end-to-end dispatch latency, from the hub's 2xx to the connector's
// target receiving the event, at a steady rate (default 1,000 sales/s), and the highest rate dispatch keeps
// up with, for each transport, measured in one run on this machine. The hub is a real `poshub serve` on
// PostgreSQL (synchronous_commit on) with the real OAuth2 issuer; two HTTP connectors (one ordered per
// store, one not) deliver to a loopback target. Sales arrive as store-and-forward batches (BENCH_BATCH per
// request), since one sale per request is bounded by ingest on this machine (see pnpm bench:ingest).
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, HubProcess } from './fault/hub-process.ts';
import { RecordingTarget } from './fault/recording-target.ts';
import { createScratchDatabase, posWriteToken, scratchHubEnv } from './fault/scratch-hub.ts';
import { saleFor } from './fault/till-load.ts';

type Transport = 'embedded' | 'kafka' | 'rabbitmq' | 'sqs';
const ALL: Transport[] = ['embedded', 'kafka', 'rabbitmq', 'sqs'];
const REPO = join(import.meta.dirname, '..');
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const BATCH = Number(process.env.BENCH_BATCH ?? 20);
const STORES = Number(process.env.BENCH_STORES ?? 50);
const BURST = Number(process.env.BENCH_BURST_SALES ?? 20_000);
const CONNECTORS = ['fault-erp', 'fault-crm'];
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 1);
const P99_TARGET_MS = 250;

const chosen = (process.argv.slice(2) as Transport[]).filter((t) => ALL.includes(t));
if (process.argv.length > 2 && chosen.length !== process.argv.length - 2) {
  console.error(`usage: pnpm bench:dispatch [${ALL.join('|')}...]`);
  process.exit(2);
}
execFileSync('bash', [join(REPO, 'infra/local/services.sh'), 'up'], {
  stdio: ['ignore', 'ignore', 'inherit'],
});

interface Posted {
  okAt: number;
  ids: string[];
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : Number.NaN;

/** Posts batches of sales on a schedule (`perSecond` sales/s) or as fast as `concurrency` allows. */
async function post(
  hubUrl: string,
  bearer: string,
  run: string,
  total: number,
  perSecond: number | undefined,
  sequences: Map<string, number>,
): Promise<{ posted: Posted[]; failed: number; elapsedMs: number }> {
  const posted: Posted[] = [];
  let failed = 0;
  const started = Date.now();
  const batches = Math.ceil(total / BATCH);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const b = next++;
      if (b >= batches) return;
      if (perSecond) {
        const due = started + (b * BATCH * 1000) / perSecond;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const store = `B${String(b % STORES).padStart(3, '0')}`;
      const sales = Array.from({ length: Math.min(BATCH, total - b * BATCH) }, () => {
        const seq = (sequences.get(store) ?? 0) + 1;
        sequences.set(store, seq);
        return saleFor(run, store, seq);
      });
      const res = await fetch(`${hubUrl}/v1/transactions/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify(sales),
      }).catch(() => undefined);
      const body = res?.ok ? ((await res.json()) as { accepted: number }) : undefined;
      if (!body || body.accepted !== sales.length) {
        failed += sales.length - (body?.accepted ?? 0);
        continue;
      }
      posted.push({ okAt: Date.now(), ids: sales.map((s) => s.id as string) });
    }
  };
  // Enough workers that a slow answer does not hold the schedule back.
  await Promise.all(Array.from({ length: perSecond ? 32 : 8 }, worker));
  return { posted, failed, elapsedMs: Date.now() - started };
}

async function waitFor(target: RecordingTarget, ids: string[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const done = CONNECTORS.every((c) => {
      const applied = target.ledger(c).appliedKeys;
      return ids.every((id) => applied.has(id));
    });
    if (done) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function latencies(target: RecordingTarget, connector: string, posted: Posted[]): number[] {
  const firstAt = new Map<string, number>();
  for (const r of target.ledger(connector).appliedOrder) firstAt.set(r.eventId, r.atEpochMs);
  const out: number[] = [];
  for (const p of posted) {
    for (const id of p.ids) {
      const at = firstAt.get(id);
      if (at !== undefined) out.push(Math.max(0, at - p.okAt));
    }
  }
  return out.sort((a, b) => a - b);
}

/** The hub's delivery outcomes other than `applied` (parked, busy, retry...), from its /metrics. */
async function outcomes(hubUrl: string): Promise<string> {
  const text = await (await fetch(`${hubUrl}/metrics`)).text();
  const found = [...text.matchAll(/^poshub_dispatch_deliveries_total\{([^}]*)\} (\d+)/gm)]
    .map(([, labels, n]) => ({ labels: labels ?? '', n: Number(n) }))
    .filter((m) => m.n > 0 && !m.labels.includes('outcome="applied"'));
  return found.map((m) => `${m.labels.replace(/connector="|outcome="|"/g, '')}=${m.n}`).join(' ') || 'none';
}

async function bench(transport: Transport) {
  const run = `${transport.slice(0, 3)}${Date.now().toString(36)}`;
  const database = await createScratchDatabase(`poshub_benchd_${run}`);
  const target = new RecordingTarget();
  const targetUrl = await target.start();
  const dataDir = await mkdtemp(join(tmpdir(), 'poshub-benchd-'));
  const hubEnv = (extra: NodeJS.ProcessEnv) =>
    scratchHubEnv({
      databaseUrl: database.url,
      dataDir,
      transport,
      namespace: `bench-${run}`,
      targetUrl,
      // e.g. BENCH_HUB_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the hub.
      extra: {
        ...(process.env.BENCH_HUB_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_HUB_NODE_OPTIONS } : {}),
        ...extra,
      },
    });
  // BENCH_PROCESSES=2: the tills post to an API-only hub (POSHUB_DISPATCH=off) and a second hub process,
  // on the same database and transport, dispatches: ingest and dispatch each get a core.
  const split = PROCESSES === 2;
  const hub = new HubProcess({
    port: await freePort(),
    logFile: join(dataDir, 'hub.log'),
    env: hubEnv(split ? { POSHUB_DISPATCH: 'off' } : {}),
  });
  const dispatcherHub = split
    ? new HubProcess({ port: await freePort(), logFile: join(dataDir, 'dispatch.log'), env: hubEnv({}) })
    : undefined;
  try {
    await hub.start();
    await dispatcherHub?.start();
    const bearer = await posWriteToken();
    const sequences = new Map<string, number>();
    // Steady: RATE sales/s for WARMUP + SECONDS; the warm-up's sales are left out of the figures.
    const steady = await post(hub.url, bearer, run, RATE * (WARMUP_SECONDS + SECONDS), RATE, sequences);
    const steadyIds = steady.posted.flatMap((p) => p.ids);
    const caughtUp = await waitFor(target, steadyIds, 120_000);
    const measured = steady.posted.filter(
      (p) => p.okAt - (steady.posted[0]?.okAt ?? 0) >= WARMUP_SECONDS * 1000,
    );
    const achieved = (steadyIds.length * 1000) / steady.elapsedMs;
    const lines = [
      `${transport}: steady ${RATE} sales/s offered, ${achieved.toFixed(0)}/s accepted (${steady.failed} failed), ${caughtUp ? 'all delivered' : 'NOT all delivered within 120 s'}`,
    ];
    const perConnector: Record<string, { p50: number; p99: number }> = {};
    for (const c of CONNECTORS) {
      const l = latencies(target, c, measured);
      perConnector[c] = { p50: pct(l, 50), p99: pct(l, 99) };
      lines.push(
        `  ${c} (${c === 'fault-erp' ? 'ordered per store' : 'unordered'}): 2xx -> target p50 ${pct(l, 50)} ms  p90 ${pct(l, 90)} ms  p99 ${pct(l, 99)} ms  max ${l.at(-1)} ms  (n=${l.length})`,
      );
    }
    lines.push(`  outcomes other than applied: ${await outcomes((dispatcherHub ?? hub).url)}`);
    // Burst: BURST sales as fast as ingest takes them; dispatch rate = sales / (first 2xx -> last receipt).
    const before = new Set(CONNECTORS.flatMap((c) => [...target.ledger(c).appliedKeys.keys()]));
    const burst = await post(hub.url, bearer, run, BURST, undefined, sequences);
    const burstIds = burst.posted.flatMap((p) => p.ids);
    const ingestRate = (burstIds.length * 1000) / burst.elapsedMs;
    const lagAtEnd = CONNECTORS.map(
      (c) => burstIds.filter((id) => !target.ledger(c).appliedKeys.has(id)).length,
    );
    const drained = await waitFor(target, burstIds, 300_000);
    const firstOk = Math.min(...burst.posted.map((p) => p.okAt)) - (BATCH * 1000) / Math.max(ingestRate, 1);
    for (const [i, c] of CONNECTORS.entries()) {
      const last = Math.max(
        ...target
          .ledger(c)
          .appliedOrder.filter((r) => !before.has(r.eventId))
          .map((r) => r.atEpochMs),
      );
      const rate = (burstIds.length * 1000) / (last - firstOk);
      lines.push(
        `  burst ${c}: ${burstIds.length} sales accepted at ${ingestRate.toFixed(0)}/s, delivered at ${rate.toFixed(0)}/s (${(rate / ingestRate).toFixed(2)}x ingest), ${lagAtEnd[i]} behind when ingest finished${drained ? '' : ', NOT drained within 300 s'}`,
      );
    }
    if (transport === 'kafka') {
      const worst = Math.max(...Object.values(perConnector).map((v) => v.p99));
      lines.push(
        `  target p99 < ${P99_TARGET_MS} ms at ${RATE} sales/s on Kafka: ${worst < P99_TARGET_MS ? 'MET' : 'NOT MET'} (${worst} ms)`,
      );
    }
    return lines.join('\n');
  } finally {
    await hub.close();
    await dispatcherHub?.close();
    await target.close();
    await database.drop().catch(() => {});
  }
}

console.log(
  `bench:dispatch on ${process.platform}/${process.arch}, ${(await import('node:os')).cpus().length} cores, ${PROCESSES === 2 ? 'an API hub and a dispatching hub' : 'one hub'}; ${RATE} sales/s for ${SECONDS} s (+${WARMUP_SECONDS} s warm-up) in batches of ${BATCH} over ${STORES} stores; burst ${BURST} sales`,
);
for (const transport of chosen.length ? chosen : ALL) console.log(await bench(transport));
