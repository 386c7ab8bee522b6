// The poshub connector SDK: the only package a connector imports (zod included, so all share one copy).

export type { DeliveryError, HandleResult, SubscriptionFilter } from '@poshub/dispatch';
export { type CanonicalEvent, EVENT_TYPES, type EventType } from '@poshub/model';
export { z } from 'zod';
export { classifyResponse } from './classify-response.ts';
export { classifyVendorError, type VendorError } from './classify-vendor-error.ts';
export { type Clock, systemClock } from './clock.ts';
export type { ConnectorContext } from './connector-context.ts';
export {
  CONNECTOR_ROLES,
  type ConnectorCapabilities,
  type ConnectorDefinition,
  type ConnectorRole,
  type ConnectorSpec,
  type DeliveryHints,
  isConnectorDefinition,
  type Subscription,
} from './connector-definition.ts';
export { CORE_VERSION } from './core-version.ts';
export { ConnectorDefinitionError, defineConnector } from './define-connector.ts';
export { abort, type Failure, permanent, retryable } from './failure.ts';
export { createHttpClient, type HttpClient, type HttpRequest, type HttpResult } from './http-client.ts';
export type { HttpResponse } from './http-response.ts';
export { httpsUrl, isLoopbackUrl } from './https-url.ts';
export {
  createLogger,
  jsonLineSink,
  type Logger,
  type LogLevel,
  type LogRecord,
  type LogSink,
} from './logger.ts';
export { OAuth2ClientConfig } from './oauth2-config.ts';
export { REDACTED_SECRET, redactConfig, secretValues } from './redact-config.ts';
export { redactPersonalData, scrubText } from './redact-personal-data.ts';
export { parseRetryAfter } from './retry-after.ts';
export { isSecret, secret } from './secret.ts';
export { type StartOptions, type StartResult, startConnector } from './start-connector.ts';
export type { StartProblem } from './start-problem.ts';
export { createTokenProvider, type TokenProvider, type TokenResult } from './token-provider.ts';
