import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { type DeliveryTarget, Dispatcher } from '@poshub/dispatch';
import { GroupCommit, openDatabase } from '@poshub/store';
import type { Transport } from '@poshub/transports';
import { pino } from 'pino';
import { createTokenVerifier } from './auth.ts';
import { commitEvents, type IngestItem, purgeExpiredKeys } from './commit-events.ts';
import { createIngestApp } from './create-ingest-app.ts';
import { type DevIssuer, openDevIssuer } from './dev-issuer.ts';
import { createDispatchMetrics } from './dispatch-metrics.ts';
import type { IngestConfig } from './ingest-config.ts';
import { createIngestMetrics } from './ingest-metrics.ts';
import type { IngestOutcome } from './ingest-outcome.ts';
import { openTransport } from './open-transport.ts';
import { RateLimiter } from './rate-limiter.ts';

/** The issuer name of the embedded development issuer (its tokens are valid only on an embedded hub). */
export const DEV_ISSUER = 'urn:poshub:dev-issuer';

/** Where the embedded development issuer keeps its signing key. */
export function devIssuerKeyFile(dataDir: string): string {
  return join(dataDir, 'dev-issuer-key.json');
}

/** A running ingest server. */
export interface RunningIngest {
  url: string;
  devIssuer: DevIssuer | undefined;
  storeKind: 'postgres' | 'pglite';
  /** The transport dispatch runs on. */
  transport: Transport;
  close(): Promise<void>;
}

/**
 * Starts the ingest API: PostgreSQL when a URL is configured, else embedded PGlite; a configured issuer's
 * JWKS, else (embedded only) the development issuer. Refuses a real database without a real issuer.
 */
export async function startIngestServer(
  config: IngestConfig,
  opts: {
    logLevel?: string;
    logDestination?: NodeJS.WritableStream;
    /** The connectors this process dispatches to (none: the relay still publishes, nothing consumes). */
    targets?: readonly DeliveryTarget[];
    /** The transport; default the one `config.transport` names (embedded: a queue in the hub's database). */
    transport?: Transport;
  } = {},
): Promise<RunningIngest> {
  if (config.databaseUrl && !config.issuer) {
    throw new Error(
      'DATABASE_URL is set but OIDC_ISSUER is not: the development issuer runs only on the embedded default',
    );
  }
  if (config.host !== '127.0.0.1' && config.host !== 'localhost' && config.host !== '::1' && !config.issuer) {
    throw new Error(
      'the development issuer only serves loopback: set OIDC_ISSUER to listen on other addresses',
    );
  }
  const store = await openDatabase(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl, poolSize: config.poolSize }
      : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') },
  );
  const devIssuer = config.issuer
    ? undefined
    : await openDevIssuer({
        keyFile: devIssuerKeyFile(config.dataDir),
        issuer: DEV_ISSUER,
        audience: config.audience,
      });
  const verifier = config.issuer
    ? createTokenVerifier({
        issuer: config.issuer.url,
        audience: config.issuer.audience,
        keys: { jwksUri: config.issuer.jwksUri },
      })
    : createTokenVerifier({ issuer: DEV_ISSUER, audience: config.audience, keys: { jwks: devIssuer!.jwks } });
  const metrics = createIngestMetrics();
  const writer = new GroupCommit<IngestItem, IngestOutcome>(
    async (items) => {
      metrics.batchSize.observe(items.length);
      return commitEvents(store.db, items);
    },
    // PGlite is one session: more than one transaction at a time would only queue inside the driver.
    { maxBatch: 500, concurrency: store.kind === 'pglite' ? 1 : config.commitConcurrency },
  );
  const log = pino(
    {
      level: opts.logLevel ?? process.env.POSHUB_LOG_LEVEL ?? 'info',
      base: { service: 'poshub-ingest' },
      // Nothing personal leaves in a log line, even if a future log call passes a customer by mistake.
      redact: {
        paths: [
          '*.email',
          '*.phone',
          '*.givenName',
          '*.familyName',
          '*.name',
          'authorization',
          '*.authorization',
        ],
        censor: '[redacted]',
      },
    },
    opts.logDestination as never,
  );
  const targets = opts.targets ?? [];
  const dispatchMetrics = createDispatchMetrics(
    metrics.registry,
    store.db,
    targets.map((t) => t.id),
  );
  const logDispatchError = (error: unknown, context: string) =>
    log.warn({ context, err: { message: (error as Error)?.message ?? String(error) } }, 'dispatch error');
  let transport: Transport | undefined;
  let dispatcher: Dispatcher | undefined;
  try {
    transport =
      opts.transport ??
      (await openTransport(config.transport, store.db, (error) =>
        log.warn({ err: { message: error.message } }, 'transport error'),
      ));
    // Without dispatch here (another process dispatches), the transport still serves admin replays.
    if (config.dispatch)
      dispatcher = new Dispatcher({
        db: store.db,
        transport,
        targets,
        reconciler: { boundMs: config.reconcile.boundMs, everyMs: config.reconcile.everyMs },
        // An observer's `error` replaces the Dispatcher's default one (which logs through onError): log here too.
        observer: {
          ...dispatchMetrics.observer,
          error: (connectorId, error, context) => {
            dispatchMetrics.observer.error(connectorId, error, context);
            logDispatchError(error, `${connectorId}: ${context}`);
          },
        },
        onError: (error, context) => {
          dispatchMetrics.onError(error, context);
          logDispatchError(error, context);
        },
      });
    // The HTTP API does not wait for consumer groups to form (minutes for Kafka after a crash): once the
    // lanes are declared, events can be taken; consumers keep being retried behind it.
    await dispatcher?.start({ consumers: 'background' });
  } catch (error) {
    await transport?.close().catch(() => {});
    await store.close().catch(() => {});
    throw new Error(
      `dispatch could not start on the ${config.transport.kind} transport: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const app = createIngestApp({
    dispatch: {
      transport,
      targets,
      ...(dispatcher ? { consuming: () => dispatcher.consuming } : {}),
    },
    db: store.db,
    writer,
    verifier,
    config,
    metrics,
    log,
    limiter: new RateLimiter(config.rateLimit.perSecond, config.rateLimit.burst),
    devIssuer,
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
  });
  // Idempotency keys are kept KEY_RETENTION_MS (7 days); expired ones are purged hourly, in small batches.
  const purge = setInterval(() => {
    purgeExpiredKeys(store.db).catch((error: Error) =>
      log.warn({ err: { message: error.message } }, 'key purge failed'),
    );
  }, 3600_000);
  purge.unref();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    url: `http://${config.host}:${port}`,
    devIssuer,
    storeKind: store.kind,
    transport,
    async close() {
      clearInterval(purge);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispatcher?.stop(5000);
      await transport.close();
      await store.close();
    },
  };
}
