import type { DeliveryTarget } from '@poshub/dispatch';
import type { CanonicalEvent } from '@poshub/model';

/** A delivery the demo connector took, for the demo to show. */
export interface DemoDelivery {
  event: CanonicalEvent;
  attempt: number;
  at: number;
}

/** The demo's stand-in ERP plus what it received. */
export interface DemoConnector {
  target: DeliveryTarget;
  received: DemoDelivery[];
  failedOnce: string[];
}

/**
 * A connector for `serve --demo`: takes sales and returns in order per store, and answers the first try of
 * each return with a 503, so the demo shows a retry with backoff and a return applied after its sale.
 */
export function demoConnector(): DemoConnector {
  const received: DemoDelivery[] = [];
  const failedOnce: string[] = [];
  const target: DeliveryTarget = {
    id: 'demo-erp',
    types: ['sale.completed.v1', 'return.completed.v1'],
    orderedPerStore: true,
    retry: { baseMs: 300, capMs: 1500, maxAttempts: 5 },
    async handle(event, ctx) {
      if (event.type === 'return.completed.v1' && ctx.attempt === 1) {
        failedOnce.push(event.id);
        return {
          ok: false,
          error: { retryable: true, type: 'http_503', message: 'demo ERP is busy', retryAfterMs: 500 },
        };
      }
      received.push({ event, attempt: ctx.attempt, at: Date.now() });
      return { ok: true };
    },
  };
  return { target, received, failedOnce };
}
