// The connectors a fault-test hub runs: `pnpm poshub serve --connectors load-tests/fault/fault-connectors.ts`
// with FAULT_TARGET_URL pointing at a RecordingTarget. One keeps order per store, one does not.
import type { DeliveryTarget, HandleResult } from '@poshub/dispatch';

const TYPES = ['sale.completed.v1', 'return.completed.v1'];

function httpTarget(id: string, base: string, orderedPerStore: boolean): DeliveryTarget {
  return {
    id,
    types: TYPES,
    orderedPerStore,
    retry: { baseMs: 50, capMs: 2_000, maxAttempts: 1_000, maxAgeMs: 3_600_000 },
    timeoutMs: 5_000,
    maxInFlight: 32,
    async handle(event, ctx): Promise<HandleResult> {
      let res: Response;
      try {
        res = await fetch(`${base}/${id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': ctx.idempotencyKey },
          body: JSON.stringify(event),
          signal: ctx.signal,
        });
        await res.arrayBuffer();
      } catch (error) {
        return { ok: false, error: { retryable: true, type: 'network', message: (error as Error).message } };
      }
      if (res.ok) return { ok: true };
      return {
        ok: false,
        error: {
          retryable: res.status >= 500 || res.status === 429,
          type: `http_${res.status}`,
          message: res.statusText,
        },
      };
    },
  };
}

export default function targets(env: NodeJS.ProcessEnv): DeliveryTarget[] {
  const base = env.FAULT_TARGET_URL;
  if (!base) throw new Error('FAULT_TARGET_URL is not set');
  return [httpTarget('fault-erp', base, true), httpTarget('fault-crm', base, false)];
}
