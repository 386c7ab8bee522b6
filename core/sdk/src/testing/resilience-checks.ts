import { expect } from 'vitest';
import { type ConformanceHarness, GRACE_MS, isWrite, within } from './conformance-harness.ts';

/** Timeout, abort, a duplicate applied once, delivery out of order, and replay. */
export function registerResilienceChecks(h: ConformanceHarness): void {
  const { capabilities } = h.options.connector;
  const header = h.options.target?.idempotencyHeader ?? 'idempotency-key';
  const first = h.fixtures[0]!;
  const timeoutMs = h.options.timeoutMs ?? 1_000;

  h.check(
    'timeout',
    `ends an attempt on a hanging target as a retryable timeout (limit ${timeoutMs} ms)`,
    h.noFixtures,
    async () => {
      h.target.answer({ hang: true });
      const result = await h.deliver(h.start({ timeoutMs }), first);
      expect(result).toMatchObject({ ok: false, error: { retryable: true, type: 'timeout' } });
      await expect.poll(() => h.target.calls.some((c) => c.abandoned)).toBe(true);
    },
  );

  h.check(
    'abort',
    'stops promptly when the attempt is aborted, dropping its request',
    h.noFixtures,
    async () => {
      h.target.answer({ hang: true });
      const attempt = new AbortController();
      const pending = h.deliver(h.start(), first, { signal: attempt.signal });
      await expect.poll(() => h.target.calls.length, { timeout: GRACE_MS }).toBeGreaterThan(0);
      attempt.abort();
      expect(await within(pending, GRACE_MS, 'after the abort')).toMatchObject({
        ok: false,
        error: { retryable: true },
      });
      await expect.poll(() => h.target.calls.some((c) => c.abandoned)).toBe(true);
    },
  );

  const notIdempotent =
    capabilities.idempotentWrites === false
      ? 'declares idempotentWrites: false (its target cannot apply a repeated key once)'
      : undefined;

  h.check(
    'duplicate',
    'sends the same idempotency key again, so a duplicate is applied once',
    notIdempotent ?? h.noFixtures,
    async () => {
      const t = h.start();
      // The target applies the first write but its answer is lost (a 500): the retry must not apply again.
      // Reads (a lookup before a create) are answered normally.
      h.target.answer((call) => (isWrite(call) ? { status: 500, apply: true } : h.target.okAnswer));
      expect(await h.deliver(t, first, { attempt: 1 })).toMatchObject({
        ok: false,
        error: { retryable: true },
      });
      const once = h.target.calls.filter(isWrite);
      expect(once.length, 'no write reached the target').toBeGreaterThan(0);
      for (const c of once) expect(c.key, `a ${c.method} ${c.path} without an ${header} header`).toBeTruthy();
      h.target.answer(h.target.okAnswer);
      await h.deliverOk(t, first, 2);
      const again = h.target.calls.filter(isWrite).slice(once.length);
      expect(again.map((c) => c.key)).toEqual(once.map((c) => c.key));
      expect(again.every((c) => c.duplicate)).toBe(true);
      expect(h.target.applied.filter(isWrite)).toHaveLength(once.length);
    },
  );

  const inOrder = capabilities.orderedPerStore
    ? "declares orderedPerStore: the runtime never hands it one store's events out of order"
    : h.fixtures.length < 2
      ? 'needs two fixtures or more'
      : undefined;
  h.check('reordered', "delivers one store's events out of order", inOrder, async () => {
    const t = h.start();
    for (const event of [...h.fixtures].reverse()) {
      const before = h.target.calls.length;
      await h.deliverOk(t, event);
      const applied = h.target.calls.slice(before).filter((c) => c.applied && isWrite(c));
      expect(applied.length, `${event.id} had no effect at the target`).toBeGreaterThan(0);
    }
  });

  h.check(
    'replay',
    'takes a replay of delivered events without a second effect',
    notIdempotent ?? h.noFixtures,
    async () => {
      const t = h.start();
      for (const event of h.fixtures) await h.deliverOk(t, event);
      const applied = h.target.applied.filter(isWrite).length;
      for (const event of h.fixtures) await h.deliverOk(t, event);
      expect(h.target.applied.filter(isWrite).length).toBe(applied);
      expect(h.target.calls.some((c) => c.duplicate)).toBe(true);
    },
  );
}
