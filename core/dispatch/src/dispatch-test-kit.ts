import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CanonicalEvent, naturalKeyText } from '@poshub/model';
import { openDatabase, type Store } from '@poshub/store';
import { EmbeddedTransport } from '@poshub/transports';
import type { DeliveryTarget, HandleContext, HandleResult } from './delivery-target.ts';
import { Dispatcher, type DispatcherOptions } from './dispatcher.ts';

/** A test connector that records every call and answers from a script per event id. */
export interface RecordingTarget extends DeliveryTarget {
  calls: Array<{ eventId: string; store: string; attempt: number; key: string; at: number }>;
  applied: string[];
}

/** A connector for tests: `answer` decides each call (default: ok). */
export function recordingTarget(
  id: string,
  types: string[],
  answer: (
    event: CanonicalEvent,
    ctx: HandleContext,
    callNo: number,
  ) => Promise<HandleResult> | HandleResult = () => ({
    ok: true,
  }),
  extra: Partial<DeliveryTarget> = {},
): RecordingTarget {
  const calls: RecordingTarget['calls'] = [];
  const applied: string[] = [];
  return {
    id,
    types,
    retry: { baseMs: 20, capMs: 100, maxAttempts: 5 },
    ...extra,
    calls,
    applied,
    async handle(event, ctx) {
      calls.push({
        eventId: event.id,
        store: event.subject,
        attempt: ctx.attempt,
        key: ctx.idempotencyKey,
        at: Date.now(),
      });
      const n = calls.filter((c) => c.eventId === event.id).length;
      const result = await answer(event, ctx, n);
      if (result.ok) applied.push(event.id);
      return result;
    },
  };
}

/** A minimal transaction event for dispatch tests (dispatch does not validate; ingest does). */
export function testEvent(
  store: string,
  sequence: number,
  kind: 'sale' | 'return' = 'sale',
  links: unknown[] = [],
): CanonicalEvent {
  return {
    specversion: '1.0',
    id: `evt-${store}-${sequence}-${randomUUID().slice(0, 8)}`,
    source: `/tests/stores/${store}`,
    subject: store,
    type: kind === 'sale' ? 'sale.completed.v1' : 'return.completed.v1',
    datacontenttype: 'application/json',
    data: {
      kind,
      key: { storeId: store, workstationId: '01', businessDay: '2026-11-23', sequence: String(sequence) },
      channel: 'store',
      links,
    },
  } as unknown as CanonicalEvent;
}

/** A PGlite database, the embedded queue and a dispatcher, plus a way to commit events as ingest does. */
export interface DispatchHarness {
  store: Store;
  transport: EmbeddedTransport;
  dispatcher: Dispatcher;
  commit(events: CanonicalEvent[]): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  targets: DeliveryTarget[],
  options: Partial<DispatcherOptions> = {},
  how: {
    /** Another embedded transport class (e.g. one that injects faults). */
    Transport?: typeof EmbeddedTransport;
    consumers?: 'wait' | 'background';
  } = {},
): Promise<DispatchHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'poshub-dispatch-'));
  const store = await openDatabase({ kind: 'pglite', dataDir: dir });
  const transport = new (how.Transport ?? EmbeddedTransport)(store.db, { leaseMs: 2000, pollMs: 10 });
  const dispatcher = new Dispatcher({
    db: store.db,
    transport,
    targets,
    relay: { pollMs: 10 },
    reconciler: { everyMs: 3_600_000 },
    ...options,
  });
  await dispatcher.start({ consumers: how.consumers ?? 'wait' });
  return {
    store,
    transport,
    dispatcher,
    async commit(events) {
      // What ingest's commit writes for dispatch: the event and its outbox row, in one transaction.
      await store.db.transaction().execute(async (trx) => {
        for (const event of events) {
          const key = (
            event.data as {
              key?: { storeId: string; workstationId: string; businessDay: string; sequence: string };
            }
          ).key;
          await trx
            .insertInto('events')
            .values({
              id: event.id,
              type: event.type,
              store_id: event.subject,
              business_key: key ? naturalKeyText(key) : null,
              workstation_id: key?.workstationId ?? null,
              business_day: key?.businessDay ?? null,
              sequence: key?.sequence ?? null,
              content_hash: event.id,
              body: JSON.stringify(event),
              training: false,
            })
            .execute();
          await trx
            .insertInto('outbox')
            .values({
              event_id: event.id,
              store_id: event.subject,
              type: event.type,
              published_at: null,
              traceparent: null,
              tracestate: null,
            })
            .execute();
        }
      });
    },
    async close() {
      await dispatcher.stop(500);
      await transport.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until the condition holds. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
