import type { CanonicalEvent } from '@poshub/model';
import type { z } from 'zod';
import type { ConnectorDefinition } from '../connector-definition.ts';
import type { RecordedCall, TestTargetOptions } from './test-target.ts';

/** The checks of the conformance kit, by the name `skip` uses. */
export type ConformanceCheck =
  | 'config'
  | 'mapping'
  | 'classification'
  | 'timeout'
  | 'abort'
  | 'duplicate'
  | 'reordered'
  | 'replay';

/** A config the connector must refuse, and where the problem is. */
export interface InvalidConfig {
  name: string;
  config: unknown;
  /** JSON pointer of the expected problem, e.g. `/config/url`. */
  path: string;
  message?: RegExp;
}

/** What `runConnectorConformance` needs. */
export interface ConformanceOptions<Schema extends z.ZodType = z.ZodType> {
  connector: ConnectorDefinition<Schema>;
  /** A config that points the connector at the kit's loopback target (`url`, e.g. http://127.0.0.1:40123). */
  validConfig: (target: { url: string }) => unknown;
  invalidConfigs: readonly InvalidConfig[];
  /** Canonical events to deliver. @default canonicalFixtures() of the subscribed types */
  fixtures?: readonly CanonicalEvent[];
  /** How the target reads the connector's requests (idempotency header, signature check). */
  target?: TestTargetOptions;
  /** Checks the connector cannot take part in, each with the reason (shown in the test title). */
  skip?: Partial<Record<ConformanceCheck, string>>;
  /** Connector-specific assertions on the requests that delivering one fixture made. */
  expectRequests?: (event: CanonicalEvent, calls: readonly RecordedCall[]) => void;
  /** The attempt time limit for the timeout check. @default 1000 */
  timeoutMs?: number;
}
