import { createWriteStream, type WriteStream } from 'node:fs';
import { access, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  downloadSalesJournal,
  fetchSalesSummary,
  type JournalPageStart,
  type UploadFailure,
} from '@poshub/batch';
import { DEV_ISSUER, devIssuerKeyFile, ingestConfigFromEnv, openDevIssuer } from '@poshub/ingest';
import { IsoDate } from '@poshub/model';
import cliProgress from 'cli-progress';
import { parseCommand, usage } from './admin-args.ts';
import { adminClient } from './admin-client.ts';
import { formatProblems, type Output, paint } from './output.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');

export const EXPORT_HELP = `Usage: pnpm poshub export sales --store <id> --day <YYYY-MM-DD> [options]

Downloads a store's sales journal for one business day from a hub: its sales, returns, exchanges, voids
and post-voids as canonical events, one per line (NDJSON), in the order the hub received them. The export
reads a snapshot fixed when it starts, so sales still arriving for the day do not change it. Written to a
file, an interrupted export resumes where it stopped when the same command runs again (its cursor is kept
in <file>.export.json until it completes). Progress goes to stderr.

  --store <id>      the store (required)
  --day <date>      the business day, YYYY-MM-DD (required)
  --out <file>      write there (default: stdout, which cannot resume)
  --summary         the day's summary instead (JSON: totals by tax rate and tender type, returns,
                    discounts, counts by kind, in minor units), what an ERP posts at its cut-off
  --page-size <n>   events per request (default 2000)
  --hub <url>       the hub (default $POSHUB_URL, else http://127.0.0.1:$POSHUB_PORT, port 8080 by default)
  --token <jwt>     a token with erp:batch or admin:read (default $POSHUB_TOKEN; against the embedded
                    default on this machine, one is minted from its development issuer)
  -h, --help        this help`;

const OPTIONS = {
  store: { type: 'string' },
  day: { type: 'string' },
  out: { type: 'string' },
  summary: { type: 'boolean' },
  'page-size': { type: 'string' },
  hub: { type: 'string' },
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Where an export to a file stands between runs: the page under way and the file's length before it. */
interface ExportState {
  storeId: string;
  businessDay: string;
  cursor: string;
  bytes: number;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The hub and a token: --hub/--token (or POSHUB_URL/POSHUB_TOKEN), else a short-lived erp:batch token from
 * the embedded development issuer when the hub at the URL trusts the very key kept in this machine's data
 * directory (as `poshub import` signs in).
 */
async function connectExport(
  values: { hub?: string | undefined; url?: string | undefined; token?: string | undefined },
  env: NodeJS.ProcessEnv,
  out: Output,
): Promise<{ url: string; token: string } | 1 | 2> {
  const config = ingestConfigFromEnv(env, REPO);
  const url = (values.hub ?? values.url ?? (env.POSHUB_URL || `http://127.0.0.1:${config.port}`)).replace(
    /\/+$/,
    '',
  );
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    return usage(out, `--hub "${url}" is not an http(s) URL`, EXPORT_HELP);
  }
  const token = values.token ?? (env.POSHUB_TOKEN || undefined);
  if (token) return { url, token };
  const noToken = (why: string) => {
    out.info(
      `${paint(out, 'red', 'error:')} no token: ${why}.\n  Pass --token or set POSHUB_TOKEN (scope erp:batch or admin:read).`,
    );
    return 2 as const;
  };
  if (config.issuer) return noToken(`OIDC_ISSUER is set, so the hub trusts ${config.issuer.url}`);
  const keys = await adminClient({ url, token: undefined }).devIssuerKeys();
  if (!keys.ok) {
    out.info(
      `${paint(out, 'red', 'error:')} cannot reach the hub at ${url}: start one with pnpm poshub serve`,
    );
    return 1;
  }
  if (!keys.value) return noToken(`the hub at ${url} does not run the development issuer`);
  const keyFile = devIssuerKeyFile(config.dataDir);
  const mismatch = `the hub at ${url} signs with a development key not found in ${config.dataDir} (set POSHUB_DATA_DIR to the hub's data directory)`;
  try {
    await access(keyFile);
  } catch {
    return noToken(mismatch);
  }
  const issuer = await openDevIssuer({ keyFile, issuer: DEV_ISSUER, audience: config.audience });
  const hubKids = new Set(keys.value.keys.map((k) => k.kid));
  if (!issuer.jwks.keys.some((k) => hubKids.has(k.kid))) return noToken(mismatch);
  out.info(
    paint(out, 'dim', 'Signed in with a 1-hour erp:batch token from the embedded development issuer.'),
  );
  return {
    url,
    token: await issuer.mint({ clientId: 'poshub-cli', scopes: ['erp:batch'], ttlSeconds: 3600 }),
  };
}

function printFailure(out: Output, failure: UploadFailure): 1 {
  const error = paint(out, 'red', 'error:');
  if (failure.kind === 'unreachable')
    out.info(`${error} cannot reach the hub at ${failure.url}: ${failure.reason}`);
  else if (failure.kind === 'unexpected')
    out.info(`${error} ${failure.url} answered ${failure.status}: ${failure.text}`);
  else {
    const p = failure.problem as {
      title: string;
      detail?: string;
      problems?: Array<{ code: string; pointer: string; message: string }>;
    };
    out.info(
      `${paint(out, 'red', '✖')} ${paint(out, 'bold', `${p.title} (${failure.status})`)}: ${p.detail ?? ''}`,
    );
    if (p.problems?.length) out.info(formatProblems(out, p.problems, '    ').join('\n'));
  }
  return 1;
}

async function readState(file: string): Promise<ExportState | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ExportState;
  } catch {
    return undefined;
  }
}

/** `poshub export sales --store <id> --day <date>`: returns the exit code. */
export async function exportCommand(
  args: string[],
  out: Output,
  env: NodeJS.ProcessEnv = process.env,
  progressStream: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const parsed = parseCommand(args, OPTIONS, EXPORT_HELP, out);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] !== 'sales') {
    return usage(out, 'say what to export: export sales', EXPORT_HELP);
  }
  const storeId = values.store?.trim();
  if (!storeId) return usage(out, '--store names the store', EXPORT_HELP);
  const businessDay = values.day ?? '';
  if (!IsoDate.safeParse(businessDay).success) {
    return usage(out, '--day is the business day, written YYYY-MM-DD', EXPORT_HELP);
  }
  const pageSize = Number(values['page-size'] ?? 2000);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000) {
    return usage(out, '--page-size is a whole number from 1 to 10000', EXPORT_HELP);
  }
  const connection = await connectExport(values, env, out);
  if (typeof connection === 'number') return connection;

  if (values.summary) {
    const result = await fetchSalesSummary({ ...connection, storeId, businessDay });
    if (!result.ok) return printFailure(out, result.failure);
    const text = JSON.stringify(result.summary, null, 2);
    if (values.out) await writeFile(values.out, `${text}\n`);
    else out.data(text);
    return 0;
  }

  // To a file: the lines go to <file>.partial, renamed once complete; the page under way and the file's
  // length before it are kept in <file>.export.json, so a rerun drops a half-written page and fetches it again.
  const target = values.out;
  const partial = target ? `${target}.partial` : undefined;
  const stateFile = target ? `${target}.export.json` : undefined;
  let state = stateFile ? await readState(stateFile) : undefined;
  if (state && (state.storeId !== storeId || state.businessDay !== businessDay)) state = undefined;
  let sink: WriteStream | undefined;
  let written = state?.bytes ?? 0;
  const openSink = async (bytes: number) => {
    if (!partial) return;
    await new Promise<void>((resolve) => (sink ? sink.end(resolve) : resolve()));
    const handle = await open(partial, bytes > 0 ? 'r+' : 'w');
    await handle.truncate(bytes);
    await handle.close();
    sink = createWriteStream(partial, { flags: 'a' });
    written = bytes;
  };
  if (state) {
    try {
      await openSink(state.bytes);
    } catch {
      state = undefined;
    }
  }
  const resumeFrom = state?.cursor;

  out.info(
    `Exporting the sales journal of store ${storeId} for ${businessDay} from ${connection.url}${target ? ` to ${target}` : ''}`,
  );
  const bar = new cliProgress.SingleBar(
    {
      stream: progressStream,
      format: ' {bar} {percentage}% | {value}/{total} events | {speed} events/s',
      hideCursor: true,
      clearOnComplete: false,
      // Not on a terminal (a log, a pipe): a line every few seconds and a last one at the end.
      noTTYOutput: true,
      notTTYSchedule: 5000,
      formatValue: (v, _o, type) => (type === 'value' || type === 'total' ? count(v) : String(v)),
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let barStarted = false;
  let lines = 0;
  let firstPosition: number | undefined;
  // On stdout a page fetched again cannot be taken back: the lines it already printed are skipped instead.
  let pageCursor: string | undefined;
  let pageLines = 0;
  let skip = 0;
  const onPage = async (page: JournalPageStart) => {
    if (page.cursor === pageCursor) skip = pageLines;
    else {
      pageCursor = page.cursor;
      pageLines = 0;
      skip = 0;
    }
    if (partial) {
      if (state?.cursor === page.cursor) {
        await openSink(state.bytes);
        skip = 0;
        pageLines = 0;
      } else {
        if (!sink) await openSink(0);
        // What the state file says is on disk must be: the earlier pages' lines are flushed first.
        await new Promise<void>((resolve, reject) => sink!.write('', (e) => (e ? reject(e) : resolve())));
        state = { storeId, businessDay, cursor: page.cursor, bytes: written };
        await writeFile(stateFile!, JSON.stringify(state));
      }
    }
    if (firstPosition === undefined) {
      firstPosition = page.position;
      if (page.position > 0)
        out.info(`Resuming the export at event ${count(page.position)} of ${count(page.total)}.`);
    }
    lines = page.position + pageLines;
    if (!barStarted) {
      bar.start(Math.max(page.total, 1), lines, { speed: '0' });
      barStarted = true;
    } else bar.update(lines);
  };
  const write = async (text: string) => {
    let chunk = text;
    while (skip > 0 && chunk !== '') {
      const end = chunk.indexOf('\n');
      chunk = end < 0 ? '' : chunk.slice(end + 1);
      skip--;
    }
    if (chunk === '') return;
    if (sink) {
      written += Buffer.byteLength(chunk);
      if (!sink.write(chunk)) await new Promise<void>((resolve) => sink!.once('drain', () => resolve()));
    } else out.write(chunk);
    let n = 0;
    for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) n++;
    pageLines += n;
    lines += n;
    const seconds = (performance.now() - started) / 1000;
    bar.update(lines, {
      speed: seconds > 0 ? count(Math.round((lines - (firstPosition ?? 0)) / seconds)) : '0',
    });
  };

  const result = await downloadSalesJournal({
    ...connection,
    storeId,
    businessDay,
    cursor: resumeFrom,
    pageSize,
    onPage,
    write,
  });
  if (barStarted) bar.stop();
  await new Promise<void>((resolve) => (sink ? sink.end(resolve) : resolve()));
  if (!result.ok) {
    printFailure(out, result.failure);
    if (target) out.info('  Run the same command again to resume the export where it stopped.');
    return 1;
  }
  if (target && partial && stateFile) {
    if (!sink) await writeFile(partial, '');
    await rename(partial, target);
    await rm(stateFile, { force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  out.info(
    `${paint(out, 'green', '✔')} ${count(result.events)} event(s) of store ${storeId} on ${businessDay}${target ? ` written to ${target}` : ''} in ${seconds.toFixed(1)} s${firstPosition ? ` (resumed at event ${count(firstPosition)})` : ''}`,
  );
  return 0;
}
