import type { DeliveryTarget } from '@poshub/dispatch';
import type { Database, GroupCommit } from '@poshub/store';
import type { Transport } from '@poshub/transports';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Principal, TokenVerifier } from './auth.ts';
import type { IngestItem } from './commit-events.ts';
import type { DevIssuer } from './dev-issuer.ts';
import type { IngestConfig } from './ingest-config.ts';
import type { IngestMetrics } from './ingest-metrics.ts';
import type { IngestOutcome } from './ingest-outcome.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** What the routes are given: nothing is constructed inside a route. */
export interface IngestDeps {
  db: Kysely<Database>;
  writer: GroupCommit<IngestItem, IngestOutcome>;
  verifier: TokenVerifier;
  config: IngestConfig;
  metrics: IngestMetrics;
  log: Logger;
  limiter: RateLimiter;
  devIssuer: DevIssuer | undefined;
  /** Dispatch, when this process runs it: the admin API replays through its transport. */
  dispatch?:
    | {
        transport: Transport;
        targets: readonly DeliveryTarget[];
        /** True once every connector's lane is consuming (false while consumer groups join). */
        consuming?: () => boolean;
      }
    | undefined;
}

/** Hono variables set by the middleware. */
export type IngestEnv = { Variables: { principal: Principal; requestId: string } };
