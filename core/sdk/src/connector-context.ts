import type { Clock } from './clock.ts';
import type { HttpClient } from './http-client.ts';
import type { Logger } from './logger.ts';
import type { TokenProvider } from './token-provider.ts';

/** What `handle` gets with each event: the parsed config and the dependencies the runtime injects. */
export interface ConnectorContext<Config> {
  /** The connector's config, parsed by its schema at start-up. */
  config: Readonly<Config>;
  /** Stable per connector and event, on every attempt and replay: pass it to the target. */
  idempotencyKey: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the attempt times out or the runtime stops; `http` already honours it. */
  signal: AbortSignal;
  /** W3C trace context of the request that brought the event in (`http` passes it on). */
  trace?: { traceparent: string; tracestate?: string };
  /** fetch with a mandatory timeout, tied to `signal`; errors come back as data. */
  http: HttpClient;
  /** The connector's OAuth2 client-credentials tokens (an `oauth2_not_configured` error when it has none). */
  oauth2: TokenProvider;
  /** Structured, redacting personal data and secrets. */
  log: Logger;
  clock: Clock;
}
