import type { DeliveryTarget, HandleContext, HandleResult, SubscriptionFilter } from '@poshub/dispatch';
import type { EventType } from '@poshub/model';
import semver from 'semver';
import type { z } from 'zod';
import { type Clock, systemClock } from './clock.ts';
import { configProblems } from './config-problems.ts';
import type { ConnectorContext } from './connector-context.ts';
import type { ConnectorDefinition, DeliveryHints } from './connector-definition.ts';
import { CONNECTOR_ID } from './connector-id.ts';
import { CORE_VERSION } from './core-version.ts';
import { permanent, retryable } from './failure.ts';
import { createHttpClient } from './http-client.ts';
import { createLogger, type LogLevel, type LogSink } from './logger.ts';
import { secretValues } from './redact-config.ts';
import { scrubText } from './redact-personal-data.ts';
import type { StartProblem } from './start-problem.ts';
import { createTokenProvider, type TokenProvider } from './token-provider.ts';

/** How the hub runs a connector: what the operator chose and what the runtime can do. */
export interface StartOptions {
  /** The lane id, when one connector runs more than once (e.g. two webhook endpoints). @default definition id */
  id?: string;
  /** Narrows the definition's subscription: types must be among the definition's. */
  subscribes?: { types?: readonly EventType[]; filter?: SubscriptionFilter };
  /** Delivery settings; they win over the connector's suggestions. */
  delivery?: DeliveryHints;
  /** @default CORE_VERSION */
  coreVersion?: string;
  /** Events the runtime can hand over per call. @default 1 */
  maxBatchSize?: number;
  log?: { sink?: LogSink; level?: LogLevel };
  clock?: Clock;
}

/** A started connector, or every reason it cannot start (secrets never included). */
export type StartResult = { ok: true; target: DeliveryTarget } | { ok: false; problems: StartProblem[] };

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Checks a connector against its config and the runtime, and builds the delivery target the dispatcher
 * runs: the config is parsed by the connector's schema (problems at `/config/...` JSON pointers),
 * `coreCompat` must admit the core version, and capabilities the runtime cannot honour are refused.
 * Each call of the target's `handle` gets a context with the parsed config, an HTTP client bound to the
 * attempt, the OAuth2 token provider, a redacting logger and the clock; a handler that throws yields a
 * retryable `connector_exception` (the message only).
 */
export function startConnector<Schema extends z.ZodType>(
  definition: ConnectorDefinition<Schema>,
  rawConfig: unknown,
  options: StartOptions = {},
): StartResult {
  const problems: StartProblem[] = [];
  const coreVersion = options.coreVersion ?? CORE_VERSION;
  if (!semver.satisfies(coreVersion, definition.coreCompat, { includePrerelease: true })) {
    problems.push({
      path: '/coreCompat',
      message: `${definition.id} ${definition.version} needs poshub core ${definition.coreCompat}; this is ${coreVersion}`,
    });
  }
  const maxBatch = options.maxBatchSize ?? 1;
  const batchSize = definition.capabilities.batchSize ?? 1;
  if (batchSize > maxBatch) {
    problems.push({
      path: '/capabilities/batchSize',
      message: `asks for batches of ${batchSize} events; this runtime delivers ${maxBatch === 1 ? 'one event per call' : `at most ${maxBatch} per call`}`,
    });
  }
  const id = options.id ?? definition.id;
  if (!CONNECTOR_ID.test(id)) {
    problems.push({ path: '/id', message: 'must be 1-48 lowercase letters, digits and hyphens' });
  }
  const types = options.subscribes?.types ?? definition.subscribes.types;
  for (const type of types) {
    if (!definition.subscribes.types.includes(type)) {
      problems.push({ path: '/subscribes/types', message: `${definition.id} does not handle ${type}` });
    }
  }
  if (types.length === 0)
    problems.push({ path: '/subscribes/types', message: 'must name at least one event type' });

  const secrets = secretValues(definition.config, rawConfig);
  const parsed = definition.config.safeParse(rawConfig);
  if (!parsed.success) problems.push(...configProblems(parsed.error, secrets));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };

  const config = Object.freeze(parsed.data) as z.output<Schema>;
  const allSecrets = [...new Set([...secrets, ...secretValues(definition.config, config)])];
  const hints = typeof definition.delivery === 'function' ? definition.delivery(config) : definition.delivery;
  const delivery: DeliveryHints = { ...hints, ...options.delivery };
  const timeoutMs = delivery.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clock = options.clock ?? systemClock;
  const log = createLogger({
    ...options.log,
    secrets: allSecrets,
    clock,
    bindings: { connector: id, version: definition.version },
  });
  const oauth2Config = definition.oauth2?.(config);
  const oauth2: TokenProvider = oauth2Config
    ? createTokenProvider(oauth2Config, { clock })
    : {
        token: async () => permanent('oauth2_not_configured', `${id} has no OAuth2 client in its config`),
        invalidate() {},
      };
  const filter = options.subscribes?.filter ?? definition.subscribes.filter;

  const target: DeliveryTarget = {
    id,
    types: [...types],
    ...(filter ? { filter } : {}),
    orderedPerStore: definition.capabilities.orderedPerStore ?? false,
    ...delivery,
    timeoutMs,
    async handle(event, attempt: HandleContext): Promise<HandleResult> {
      const ctx: ConnectorContext<z.output<Schema>> = {
        config,
        idempotencyKey: attempt.idempotencyKey,
        attempt: attempt.attempt,
        signal: attempt.signal,
        ...(attempt.trace ? { trace: attempt.trace } : {}),
        http: createHttpClient({
          signal: attempt.signal,
          timeoutMs,
          oauth2,
          ...(attempt.trace ? { trace: attempt.trace } : {}),
          userAgent: `poshub-${definition.id}/${definition.version}`,
        }),
        oauth2,
        log: log.child({ eventId: event.id, attempt: attempt.attempt }),
        clock,
      };
      try {
        return await definition.handle(event, ctx);
      } catch (error) {
        const message = scrubText(error instanceof Error ? error.message : String(error), allSecrets);
        ctx.log.error('the connector threw', { error });
        return retryable('connector_exception', message);
      }
    },
  };
  return { ok: true, target: Object.freeze(target) };
}
