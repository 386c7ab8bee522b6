import { join } from 'node:path';
import { type TransportConfig, transportConfigFromEnv } from './transport-config.ts';

/** Everything the ingest server needs to know, with safe defaults for the embedded mode. */
export interface IngestConfig {
  host: string;
  port: number;
  /** PostgreSQL URL; absent means embedded PGlite under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** A configured OAuth2 issuer; absent means the embedded development issuer (embedded default only). */
  issuer: { url: string; audience: string; jwksUri: string } | undefined;
  audience: string;
  maxBodyBytes: number;
  maxBatchItems: number;
  rateLimit: { perSecond: number; burst: number };
  /** PostgreSQL transactions committing at once (group commit lanes); reads use the rest of the pool. */
  commitConcurrency: number;
  /**
   * PostgreSQL connections of the process, shared by ingest, the relay and every connector's deliveries
   * (each delivery holds one for its ledger steps). Default 20: 10 halved dispatch throughput in
   * load-tests/bench-dispatch.ts.
   */
  poolSize: number;
  webhookSecrets: { shopify?: string | undefined; square?: { key: string; url: string } | undefined };
  /** What carries dispatch: the embedded PostgreSQL queue (default), Kafka, RabbitMQ or SQS. */
  transport: TransportConfig;
  /**
   * The reconciler: an event a connector has not acknowledged within `boundMs` is published to it again;
   * it looks every `everyMs`.
   */
  reconcile: { boundMs: number; everyMs: number };
  /**
   * Whether this process dispatches (relay, connectors' lanes, reconciler). Off (`POSHUB_DISPATCH=off`) for
   * an API-only process when another process of the deployment dispatches: the two then use both cores.
   */
  dispatch: boolean;
}

/**
 * Reads the config from the environment (POSHUB_*, DATABASE_URL, OIDC_*, and the broker's variables).
 * Throws a TransportConfigError naming the variable when the transport's settings cannot work.
 */
export function ingestConfigFromEnv(env: NodeJS.ProcessEnv, repoRoot: string): IngestConfig {
  const issuerUrl = env.OIDC_ISSUER;
  const audience = env.OIDC_AUDIENCE ?? 'poshub';
  return {
    host: env.POSHUB_HOST ?? '127.0.0.1',
    port: Number(env.POSHUB_PORT ?? 8080),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.POSHUB_DATA_DIR ?? join(repoRoot, '.data', 'embedded'),
    issuer: issuerUrl
      ? { url: issuerUrl, audience, jwksUri: env.OIDC_JWKS_URI ?? `${issuerUrl.replace(/\/$/, '')}/jwks` }
      : undefined,
    audience,
    maxBodyBytes: Number(env.POSHUB_MAX_BODY_BYTES ?? 8 * 1024 * 1024),
    maxBatchItems: Number(env.POSHUB_MAX_BATCH_ITEMS ?? 1000),
    rateLimit: {
      perSecond: Number(env.POSHUB_RATE_PER_SECOND ?? 2000),
      burst: Number(env.POSHUB_RATE_BURST ?? 4000),
    },
    commitConcurrency: Math.max(1, Number(env.POSHUB_COMMIT_CONCURRENCY ?? 4)),
    poolSize: Math.max(2, Number(env.POSHUB_DB_POOL_SIZE ?? 20)),
    webhookSecrets: {
      shopify: env.SHOPIFY_WEBHOOK_SECRET,
      square: env.SQUARE_WEBHOOK_SIGNATURE_KEY
        ? { key: env.SQUARE_WEBHOOK_SIGNATURE_KEY, url: env.SQUARE_WEBHOOK_URL ?? '' }
        : undefined,
    },
    transport: transportConfigFromEnv(env),
    reconcile: {
      boundMs: Number(env.POSHUB_RECONCILE_BOUND_MS ?? 5 * 60_000),
      everyMs: Number(env.POSHUB_RECONCILE_EVERY_MS ?? 60_000),
    },
    dispatch: dispatchSwitch(env.POSHUB_DISPATCH),
  };
}

function dispatchSwitch(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(`POSHUB_DISPATCH must be on or off, not ${JSON.stringify(value)}`);
}
