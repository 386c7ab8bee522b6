import { expect } from 'vitest';
import type { ConformanceHarness } from './conformance-harness.ts';
import { startTestTarget } from './test-target.ts';

const RETRYABLE = [500, 503, 429, 408];
const PERMANENT = [400, 404, 422];

/** Each fixture is delivered; the target's answers and its absence are classified as the SDK rules say. */
export function registerDeliveryChecks(h: ConformanceHarness): void {
  if (h.noFixtures) h.check('mapping', 'delivers canonical fixtures', h.noFixtures, async () => {});
  for (const event of h.fixtures) {
    h.check('mapping', `delivers ${event.type} ${event.id} (store ${event.subject})`, undefined, async () => {
      await h.deliverOk(h.start(), event);
      expect(h.target.calls.length, 'the connector sent no request to its target').toBeGreaterThan(0);
      h.options.expectRequests?.(event, h.target.calls);
    });
  }

  const first = h.fixtures[0]!;
  for (const status of [...RETRYABLE, ...PERMANENT]) {
    const retry = RETRYABLE.includes(status);
    const title = `classifies a target's ${status}${status === 429 ? ' with Retry-After: 7' : ''} as ${retry ? 'retryable' : 'permanent'}`;
    h.check('classification', title, h.noFixtures, async () => {
      h.target.answer({ status, headers: status === 429 ? { 'retry-after': '7' } : {} });
      const result = await h.deliver(h.start(), first);
      expect(result.ok, `${status} was taken as delivered`).toBe(false);
      if (result.ok) return;
      expect(result.error.retryable).toBe(retry);
      expect(result.error.abort ?? false).toBe(false);
      if (status === 429) expect(result.error.retryAfterMs).toBe(7_000);
    });
  }
  h.check(
    'classification',
    'classifies an unreachable target as retryable (network)',
    h.noFixtures,
    async () => {
      const gone = await startTestTarget();
      await gone.close();
      const result = await h.deliver(h.start({}, gone.url), first);
      expect(result).toMatchObject({ ok: false, error: { retryable: true, type: 'network' } });
    },
  );
}
