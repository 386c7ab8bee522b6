import type { Delivery, DeliveryHandler, Disposition } from './transport.ts';

/** How long a delivery whose handler threw waits before it is delivered again. */
export const HANDLER_ERROR_RETRY_MS = 1000;

/**
 * Calls the handler and returns its disposition; a handler that throws or returns nonsense gets a retry,
 * because a bug in one delivery must not stop the lane nor lose the message.
 */
export async function settleDelivery(handler: DeliveryHandler, delivery: Delivery): Promise<Disposition> {
  try {
    const disposition = await handler(delivery);
    if (disposition?.kind === 'ack' || disposition?.kind === 'dead') return disposition;
    if (disposition?.kind === 'retry' && Number.isFinite(disposition.delayMs)) {
      return { kind: 'retry', delayMs: Math.max(0, disposition.delayMs) };
    }
    return { kind: 'retry', delayMs: HANDLER_ERROR_RETRY_MS };
  } catch {
    return { kind: 'retry', delayMs: HANDLER_ERROR_RETRY_MS };
  }
}
