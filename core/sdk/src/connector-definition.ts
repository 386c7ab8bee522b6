import type { DeliveryTarget, HandleResult, SubscriptionFilter } from '@poshub/dispatch';
import type { CanonicalEvent, EventType } from '@poshub/model';
import type { z } from 'zod';
import type { ConnectorContext } from './connector-context.ts';
import type { OAuth2ClientConfig } from './oauth2-config.ts';

/** What kind of system a connector feeds. */
export const CONNECTOR_ROLES = ['erp', 'oms', 'crm', 'inventory', 'loyalty', 'webhook', 'other'] as const;
export type ConnectorRole = (typeof CONNECTOR_ROLES)[number];

/** What a connector promises or needs; start-up refuses what the runtime cannot honour. */
export interface ConnectorCapabilities {
  /** Needs one store's events in the order poshub published them (the runtime serialises per store). */
  orderedPerStore?: boolean;
  /** Passes the idempotency key to a target that applies a repeated key once (checked by the conformance kit). */
  idempotentWrites?: boolean;
  /** Events per call; the runtime delivers one at a time, so more than 1 is refused at start-up. */
  batchSize?: number;
}

/** Which events a connector gets. */
export interface Subscription {
  types: readonly EventType[];
  filter?: SubscriptionFilter;
}

/** Delivery settings a connector may suggest; the operator's settings at start-up win. */
export type DeliveryHints = Partial<
  Pick<DeliveryTarget, 'retry' | 'breaker' | 'timeoutMs' | 'maxInFlight' | 'causalWaitMs' | 'causalTimeout'>
>;

/** What a connector author writes: the argument of `defineConnector`. */
export interface ConnectorSpec<Schema extends z.ZodType> {
  /** Kebab-case, 1-48 characters, never renamed (it keys the delivery ledger and idempotency keys). */
  id: string;
  /** The connector's own version (semver). */
  version: string;
  /** The poshub core versions it works with, as a semver range, e.g. "^0.1.0". */
  coreCompat: string;
  role: ConnectorRole;
  capabilities: ConnectorCapabilities;
  /** The config schema; mark secrets with `secret()`. */
  config: Schema;
  subscribes: Subscription;
  /** Where in the config its OAuth2 client is, when it has one (`ctx.oauth2`). */
  oauth2?: (config: z.output<Schema>) => OAuth2ClientConfig | undefined;
  /** Delivery settings from the config (e.g. a timeout), as suggestions. */
  delivery?: DeliveryHints | ((config: z.output<Schema>) => DeliveryHints);
  /** Delivers one event. Return errors as data (`retryable`, `permanent`, `abort`); never sleep or retry. */
  handle(event: CanonicalEvent, ctx: ConnectorContext<z.output<Schema>>): Promise<HandleResult>;
}

/** Marks a checked definition; `Symbol.for` so two copies of the SDK agree. */
export const CONNECTOR_DEFINITION: unique symbol = Symbol.for('poshub.sdk.connector-definition');

/** A checked, frozen connector definition, as `defineConnector` returns it. */
export type ConnectorDefinition<Schema extends z.ZodType = z.ZodType> = Readonly<ConnectorSpec<Schema>> & {
  readonly [CONNECTOR_DEFINITION]: true;
};

/** Whether a value is a definition made by `defineConnector`. */
export function isConnectorDefinition(value: unknown): value is ConnectorDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<PropertyKey, unknown>)[CONNECTOR_DEFINITION] === true
  );
}
