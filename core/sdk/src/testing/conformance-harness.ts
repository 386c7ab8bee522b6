import { type DeliveryTarget, type HandleResult, idempotencyKeyFor } from '@poshub/dispatch';
import type { CanonicalEvent } from '@poshub/model';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { DeliveryHints } from '../connector-definition.ts';
import type { LogRecord } from '../logger.ts';
import { startConnector } from '../start-connector.ts';
import { canonicalFixtures } from './canonical-fixtures.ts';
import type { ConformanceCheck, ConformanceOptions } from './conformance-options.ts';
import { type RecordedCall, startTestTarget, type TestTarget } from './test-target.ts';

/** How long past its own time limit a handler may take before a check calls it hung. */
export const GRACE_MS = 10_000;

/** Whether a recorded call can change the target's state. */
export const isWrite = (c: RecordedCall): boolean => c.method !== 'GET' && c.method !== 'HEAD';

/** What the check groups share: the loopback target, the connector's fixtures, and ways to run it. */
export interface ConformanceHarness {
  readonly options: ConformanceOptions;
  /** The loopback target (started before the checks, reset before each). */
  readonly target: TestTarget;
  readonly fixtures: readonly CanonicalEvent[];
  /** Why fixture-based checks cannot run, when no fixture matches the connector's types. */
  readonly noFixtures: string | undefined;
  readonly logs: readonly LogRecord[];
  /** Registers a check, or skips it with its reason (an explicit `skip` first). */
  check(name: ConformanceCheck, title: string, reason: string | undefined, run: () => Promise<void>): void;
  /** Starts the connector with the valid config pointed at `url` (default: the target). */
  start(delivery?: DeliveryHints, url?: string): DeliveryTarget;
  /** One attempt, as the runtime makes it, failing the check if the handler hangs. */
  deliver(
    t: DeliveryTarget,
    event: CanonicalEvent,
    opts?: { attempt?: number; signal?: AbortSignal },
  ): Promise<HandleResult>;
  deliverOk(t: DeliveryTarget, event: CanonicalEvent, attempt?: number): Promise<void>;
}

/** Resolves with the promise, or fails the check when it takes longer than `ms` (a handler that hangs). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Sets up the harness; call inside a vitest `describe` (it registers the target's hooks). */
export function conformanceHarness(options: ConformanceOptions): ConformanceHarness {
  const { connector } = options;
  const fixtures = (options.fixtures ?? canonicalFixtures()).filter((e) =>
    connector.subscribes.types.includes(e.type),
  );
  const logs: LogRecord[] = [];
  let target: TestTarget | undefined;
  beforeAll(async () => {
    target = await startTestTarget(options.target);
  });
  beforeEach(() => target?.reset());
  afterAll(() => target?.close());

  const harness: ConformanceHarness = {
    options,
    get target() {
      if (!target) throw new Error('the test target is not running');
      return target;
    },
    fixtures,
    noFixtures:
      fixtures.length === 0
        ? `no canonical fixture of its types (${connector.subscribes.types.join(', ')}): pass fixtures`
        : undefined,
    logs,
    check(name, title, reason, run) {
      const why = options.skip?.[name] ?? reason;
      if (why) it.skip(`${title} — skipped: ${why}`, () => {});
      else it(title, run);
    },
    start(delivery = {}, url = harness.target.url) {
      const started = startConnector(connector, options.validConfig({ url }), {
        delivery,
        log: { sink: (r) => logs.push(r), level: 'debug' },
      });
      if (!started.ok) {
        const problems = started.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
        throw new Error(`the valid config does not start the connector:\n${problems}`);
      }
      return started.target;
    },
    deliver(t, event, { attempt = 1, signal = new AbortController().signal } = {}) {
      return within(
        t.handle(event, { idempotencyKey: idempotencyKeyFor(t.id, event.id), attempt, signal }),
        (t.timeoutMs ?? 30_000) + GRACE_MS,
        `${connector.id} handling ${event.id}`,
      );
    },
    async deliverOk(t, event, attempt = 1) {
      expect(await harness.deliver(t, event, { attempt }), `${event.type} ${event.id}`).toEqual({ ok: true });
    },
  };
  return harness;
}
