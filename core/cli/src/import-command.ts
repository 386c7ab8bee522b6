import { createWriteStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  fileDigest,
  fileUploadSource,
  IMPORT_FORMATS,
  IMPORT_TYPES,
  type ImportFormat,
  type ImportJobView,
  type ImportType,
  type UploadFailure,
  uploadImport,
} from '@poshub/batch';
import { DEV_ISSUER, devIssuerKeyFile, ingestConfigFromEnv, openDevIssuer } from '@poshub/ingest';
import cliProgress from 'cli-progress';
import { parseCommand, usage } from './admin-args.ts';
import { adminClient } from './admin-client.ts';
import { formatProblems, type Output, paint } from './output.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');

export const IMPORT_HELP = `Usage: pnpm poshub import <file> --type ${IMPORT_TYPES.join('|')} [options]

Uploads an NDJSON or CSV file (gzipped or not) of products, prices, stock levels or customers to a hub's
imports API: in chunks, with a progress bar, and resumable. The job key is derived from the file's content
and the type, so running the same command again after an interruption resumes the same import where the
hub stands; a file already imported is not imported twice. Rows are checked one by one: bad ones are
rejected with their row number, the good ones go on to the connectors in batches of up to 1,000.

  --type <type>     ${IMPORT_TYPES.join(' | ')} (required)
  --format <f>      ndjson | csv (default: from the file name, .csv or .ndjson/.jsonl, .gz or not)
  --hub <url>       the hub (default $POSHUB_URL, else http://127.0.0.1:$POSHUB_PORT, port 8080 by default)
  --token <jwt>     a token with erp:batch (default $POSHUB_TOKEN; against the embedded default on this
                    machine, one is minted from its development issuer)
  --key <key>       the job key instead of the derived one
  --chunk-mb <n>    megabytes of the (decoded) file per request (default 16)
  --gzip            compress each chunk on the wire
  --errors <file>   save the rejected rows there (NDJSON: row, line, problems, raw)
  --json            print the finished job as JSON on stdout
  -h, --help        this help`;

const OPTIONS = {
  type: { type: 'string' },
  format: { type: 'string' },
  hub: { type: 'string' },
  url: { type: 'string' },
  token: { type: 'string' },
  key: { type: 'string' },
  'chunk-mb': { type: 'string' },
  gzip: { type: 'boolean' },
  errors: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const count = (n: number) => n.toLocaleString('en-US');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function formatOf(file: string): ImportFormat | undefined {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'ndjson';
  return undefined;
}

/** The job key of a file: the same content imported as the same type and format is the same import. */
export function importJobKey(type: ImportType, format: ImportFormat, sha256: string): string {
  return `cli-${type}-${format}-${sha256.slice(0, 40)}`;
}

/**
 * The hub and a token with erp:batch: --hub/--token (or POSHUB_URL/POSHUB_TOKEN), else, as the admin
 * commands do, a short-lived token from the embedded development issuer when the hub at the URL trusts the
 * very key kept in this machine's data directory.
 */
async function connectImport(
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
    return usage(out, `--hub "${url}" is not an http(s) URL`, IMPORT_HELP);
  }
  const token = values.token ?? (env.POSHUB_TOKEN || undefined);
  if (token) return { url, token };
  const noToken = (why: string) => {
    out.info(
      `${paint(out, 'red', 'error:')} no token: ${why}.\n  Pass --token or set POSHUB_TOKEN (scope erp:batch).`,
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

/** `poshub import <file> --type <type>`: returns the exit code. */
export async function importCommand(
  args: string[],
  out: Output,
  env: NodeJS.ProcessEnv = process.env,
  progressStream: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const parsed = parseCommand(args, OPTIONS, IMPORT_HELP, out);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return usage(out, 'name one file to import', IMPORT_HELP);
  const file = positionals[0]!;
  const type = values.type as ImportType | undefined;
  if (!type || !IMPORT_TYPES.includes(type)) {
    return usage(out, `--type is one of ${IMPORT_TYPES.join(', ')}`, IMPORT_HELP);
  }
  const format = (values.format ?? formatOf(file)) as ImportFormat | undefined;
  if (!format || !IMPORT_FORMATS.includes(format)) {
    return usage(out, `--format is ndjson or csv (the file name does not say)`, IMPORT_HELP);
  }
  const chunkMb = Number(values['chunk-mb'] ?? 16);
  if (!(chunkMb > 0 && chunkMb <= 1024))
    return usage(out, '--chunk-mb is a number of megabytes up to 1024', IMPORT_HELP);

  let source: Awaited<ReturnType<typeof fileUploadSource>>;
  try {
    source = await fileUploadSource(file);
  } catch (error) {
    out.info(
      `${paint(out, 'red', 'error:')} cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
    return 1;
  }
  const connection = await connectImport(values, env, out);
  if (typeof connection === 'number') return connection;
  // The same content imported as the same type is the same job: rerunning resumes it.
  const key = values.key ?? importJobKey(type, format, await fileDigest(file));

  out.info(
    `Importing ${basename(file)} (${mb(source.fileBytes)}${source.gzipped ? ' gzip' : ''}, ${type}, ${format}) into ${connection.url}`,
  );
  const bar = new cliProgress.SingleBar(
    {
      stream: progressStream,
      format: ` {bar} {percentage}% | {done} | {rows} rows, {rejected} rejected | {speed} rows/s`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let barStarted = false;
  let firstRows: number | undefined;
  const show = (job: ImportJobView, bytes: number) => {
    const total = source.length ?? 0;
    firstRows ??= job.rows.read;
    const seconds = (performance.now() - started) / 1000;
    const payload = {
      done: total ? `${mb(bytes)} / ${mb(total)}` : mb(bytes),
      rows: count(job.rows.read),
      rejected: count(job.rows.rejected),
      speed: seconds > 0 ? count(Math.round((job.rows.read - firstRows) / seconds)) : '0',
    };
    if (!barStarted) {
      bar.start(total || 1, Math.min(bytes, total || 1), payload);
      barStarted = true;
    } else bar.update(total ? Math.min(bytes, total) : 0, payload);
  };

  const result = await uploadImport({
    url: connection.url,
    token: connection.token,
    type,
    format,
    key,
    source,
    chunkBytes: Math.round(chunkMb * 1024 * 1024),
    gzip: values.gzip === true,
    onResume: (job) =>
      out.info(
        `Resuming import ${job.id}: the hub already has ${mb(job.uploadOffset)}${source.length ? ` of ${mb(source.length)}` : ''} (${count(job.rows.read)} rows).`,
      ),
    onProgress: ({ job, bytes }) => show(job, bytes),
  });
  if (barStarted) bar.stop();
  const seconds = (performance.now() - started) / 1000;
  if (!result.ok) {
    printFailure(out, result.failure);
    if (result.job)
      out.info(
        `  The import ${result.job.id} stands at byte ${result.job.uploadOffset}: run the same command again to resume it.`,
      );
    return 1;
  }
  const job = result.job;
  const errorsUrl = `${connection.url}${job.links.errors}`;
  if (values.errors && job.rows.rejected > 0) {
    const res = await fetch(errorsUrl, { headers: { authorization: `Bearer ${connection.token}` } });
    if (!res.ok || !res.body) {
      out.info(`${paint(out, 'red', 'error:')} could not download the errors (${res.status})`);
      return 1;
    }
    await pipeline(res.body as unknown as NodeJS.ReadableStream, createWriteStream(values.errors));
  }
  if (values.json) {
    out.data(JSON.stringify(job, null, 2));
    return 0;
  }
  const fresh = job.rows.read - (firstRows ?? 0);
  const lines = [
    `${paint(out, job.rows.rejected > 0 ? 'yellow' : 'green', '✔')} Import ${job.id} ${job.status} in ${seconds.toFixed(1)} s${result.resumedFrom > 0 ? ` (resumed at byte ${count(result.resumedFrom)})` : ''}`,
    `  rows: ${count(job.rows.read)} read, ${count(job.rows.accepted)} accepted, ${count(job.rows.rejected)} rejected${seconds > 0 && fresh > 0 ? ` (${count(Math.round(fresh / seconds))} rows/s)` : ''}`,
    `  events: ${count(job.batches)} batches of ${job.eventType}`,
  ];
  if (job.rows.rejected > 0) {
    lines.push(
      values.errors
        ? `  errors: ${count(job.rows.rejected)} rejected rows saved to ${values.errors}`
        : `  errors: GET ${errorsUrl} (NDJSON), or run again with --errors <file>`,
    );
  }
  out.data(lines.join('\n'));
  return 0;
}
