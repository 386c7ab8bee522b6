import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DeliveryTarget } from '@poshub/dispatch';
import { describeTransport, type IngestConfig, ingestConfigFromEnv, startIngestServer } from '@poshub/ingest';
import { demoConnector } from './demo-connector.ts';
import { loadConnectors } from './load-connectors.ts';
import { type Output, paint } from './output.ts';
import { runServeDemo } from './serve-demo.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');

export const SERVE_HELP = `Usage: pnpm poshub serve [--port <n>] [--demo] [--connectors <module>]

Runs the ingest API and dispatch. With no configuration: the embedded default, PGlite under
.data/embedded, the development issuer (tokens from "pnpm poshub token") and the embedded queue.
Set DATABASE_URL and OIDC_ISSUER (and OIDC_AUDIENCE, OIDC_JWKS_URI) for PostgreSQL and a real issuer.

  --port <n>             port on 127.0.0.1 (default 8080, or POSHUB_PORT)
  --demo                 after starting, post a store day to it and show what happens
  --connectors <module>  the connectors to dispatch to (or POSHUB_CONNECTORS): a module exporting
                         "connectors", [{ connector, config }] of SDK connectors (see core/sdk),
                         or "targets", delivery targets; either may be a function of the environment

Dispatch transport (POSHUB_TRANSPORT, default embedded):
  embedded   a queue table in the hub's own database, no broker
  kafka      KAFKA_BROKERS=host:port,...   (KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR)
  rabbitmq   AMQP_URL=amqp://user:password@host:5672/vhost
  sqs        SQS_REGION (or AWS_REGION), SQS_ENDPOINT for ElasticMQ or another endpoint,
             SQS_ACCESS_KEY_ID/SQS_SECRET_ACCESS_KEY or the AWS default credential chain
  POSHUB_TRANSPORT_NAMESPACE prefixes every topic, queue and group (default poshub).
  POSHUB_RECONCILE_BOUND_MS: unacknowledged events are published again after this (default 300000).
  POSHUB_DISPATCH=off: an API-only process, when another process of the deployment dispatches.`;

/** `poshub serve`: runs until interrupted; returns the exit code. */
export async function serveCommand(args: string[], out: Output): Promise<number> {
  let values: { port?: string; demo?: boolean; connectors?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        demo: { type: 'boolean' },
        connectors: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    out.info(`${paint(out, 'red', 'error:')} ${(error as Error).message}\n\n${SERVE_HELP}`);
    return 2;
  }
  if (values.help) {
    out.info(SERVE_HELP);
    return 0;
  }
  const demo = values.demo ? demoConnector() : undefined;
  let config: IngestConfig;
  let server: Awaited<ReturnType<typeof startIngestServer>>;
  let targets: DeliveryTarget[] = [];
  try {
    config = ingestConfigFromEnv(
      { ...process.env, ...(values.port ? { POSHUB_PORT: values.port } : {}) },
      REPO,
    );
    const module = values.connectors ?? process.env.POSHUB_CONNECTORS;
    targets = [...(demo ? [demo.target] : []), ...(module ? await loadConnectors(module, process.env) : [])];
    server = await startIngestServer(config, {
      logLevel: process.env.POSHUB_LOG_LEVEL ?? (values.demo ? 'warn' : 'info'),
      targets,
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const why =
      e.code === 'EADDRINUSE'
        ? `port ${values.port ?? process.env.POSHUB_PORT ?? 8080} is in use: pass --port or set POSHUB_PORT`
        : e.message;
    out.info(`${paint(out, 'red', 'error:')} cannot start: ${why}`);
    return 1;
  }
  const embedded = server.storeKind === 'pglite';
  out.info(
    `${paint(out, 'green', '✔')} poshub ingest API on ${paint(out, 'bold', server.url)} (${embedded ? `embedded PGlite in ${join(config.dataDir, 'pglite')}` : 'PostgreSQL'})`,
  );
  out.info(`  docs      ${server.url}/docs   (OpenAPI: ${server.url}/openapi.json)`);
  out.info(`  health    ${server.url}/healthz  ${server.url}/readyz  ${server.url}/metrics`);
  out.info(
    config.dispatch
      ? `  dispatch  ${describeTransport(config.transport)}, ${targets.length} connector(s)${targets.length ? `: ${targets.map((t) => t.id).join(', ')}` : ''}`
      : `  dispatch  off here (POSHUB_DISPATCH=off): another process dispatches; ${describeTransport(config.transport)} for admin replays`,
  );
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
