import { describe } from 'vitest';
import type { z } from 'zod';
import { registerConfigChecks, registerLogCheck } from './config-checks.ts';
import { conformanceHarness } from './conformance-harness.ts';
import type { ConformanceOptions } from './conformance-options.ts';
import { registerDeliveryChecks } from './delivery-checks.ts';
import { registerResilienceChecks } from './resilience-checks.ts';

/**
 * Registers the connector conformance suite (vitest) for one connector, run against a real loopback HTTP
 * target: config rejection with path-qualified problems, delivery of canonical fixtures, error
 * classification (500, 503, 429 with Retry-After, 408 retryable; 400, 404, 422 permanent; a hanging or
 * unreachable target retryable), the attempt's timeout and abort, a duplicate delivery applied once,
 * reordered delivery and replay. A check the connector cannot take part in is skipped with its reason in
 * the title; `skip` adds skips of your own, each with its reason.
 *
 * @example
 * runConnectorConformance({
 *   connector: webhookConnector,
 *   validConfig: ({ url }) => ({ url: `${url}/hooks`, secrets: [SECRET] }),
 *   invalidConfigs: [{ name: 'no URL', config: { secrets: [SECRET] }, path: '/config/url' }],
 *   target: { idempotencyHeader: 'webhook-id' },
 * });
 */
export function runConnectorConformance<Schema extends z.ZodType>(options: ConformanceOptions<Schema>): void {
  const { connector } = options;
  describe(`connector conformance: ${connector.id} ${connector.version}`, () => {
    const harness = conformanceHarness(options as unknown as ConformanceOptions);
    registerConfigChecks(harness);
    registerDeliveryChecks(harness);
    registerResilienceChecks(harness);
    registerLogCheck(harness);
  });
}
