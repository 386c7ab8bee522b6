import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingestConfigFromEnv, startIngestServer } from '@poshub/ingest';
import { demoConnector } from './demo-connector.ts';
import { type Output, paint } from './output.ts';
import { runServeDemo } from './serve-demo.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');

export const SERVE_HELP = `Usage: pnpm poshub serve [--port <n>] [--demo]

Runs the ingest API. With no configuration: the embedded default, PGlite under .data/embedded and the
development issuer (tokens from "pnpm poshub token"). Set DATABASE_URL and OIDC_ISSUER (and
OIDC_AUDIENCE, OIDC_JWKS_URI) for PostgreSQL and a real issuer.

  --port <n>   port on 127.0.0.1 (default 8080, or POSHUB_PORT)
  --demo       after starting, post a store day to it and show what happens`;

/** `poshub serve`: runs until interrupted; returns the exit code. */
export async function serveCommand(args: string[], out: Output): Promise<number> {
  let values: { port?: string; demo?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { port: { type: 'string' }, demo: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    out.info(`${paint(out, 'red', 'error:')} ${(error as Error).message}\n\n${SERVE_HELP}`);
    return 2;
  }
  if (values.help) {
    out.info(SERVE_HELP);
    return 0;
  }
  const config = ingestConfigFromEnv(
    { ...process.env, ...(values.port ? { POSHUB_PORT: values.port } : {}) },
    REPO,
  );
  const demo = values.demo ? demoConnector() : undefined;
  let server: Awaited<ReturnType<typeof startIngestServer>>;
  try {
    server = await startIngestServer(config, {
      logLevel: process.env.POSHUB_LOG_LEVEL ?? (values.demo ? 'warn' : 'info'),
      ...(demo ? { targets: [demo.target] } : {}),
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const why =
      e.code === 'EADDRINUSE' ? `port ${config.port} is in use: pass --port or set POSHUB_PORT` : e.message;
    out.info(`${paint(out, 'red', 'error:')} cannot start: ${why}`);
    return 1;
  }
  const embedded = server.storeKind === 'pglite';
  out.info(
    `${paint(out, 'green', '✔')} poshub ingest API on ${paint(out, 'bold', server.url)} (${embedded ? `embedded PGlite in ${join(config.dataDir, 'pglite')}` : 'PostgreSQL'})`,
  );
  out.info(`  docs      ${server.url}/docs   (OpenAPI: ${server.url}/openapi.json)`);
  out.info(`  health    ${server.url}/healthz  ${server.url}/readyz  ${server.url}/metrics`);
  if (server.devIssuer) {
    out.info('  token     TOKEN=$(pnpm -s poshub token --store 0042)   (embedded development issuer)');
    out.info(
      `  try       curl -s -X POST ${server.url}/v1/transactions -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -H 'idempotency-key: my-first-sale' --data @core/normalizers/fixtures/canonical/sale-two-lines.json`,
    );
  }
  if (demo) await runServeDemo(server, out, demo);
  out.info(`\n${paint(out, 'dim', 'Serving until Ctrl-C.')}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
