import {
  classifyVendorError,
  defineConnector,
  type HandleResult,
  type HttpResponse,
  permanent,
  retryable,
} from '@poshub/sdk';
import { CommercetoolsConfig } from './commercetools-config.ts';
import { type CtOrder, orderActionsFor } from './order-actions.ts';

/**
 * commercetools as the OMS (HTTP API, Orders): what a store did with an online order (handed a
 * click-and-collect order over, shipped it from the store, took a return of it) updates the order. The
 * order is read first (`GET .../orders/order-number={n}`): the actions are computed against its current
 * state, so a redelivery finds the work done and sends nothing, and the update carries the version read
 * (optimistic concurrency: a ConcurrentModification is retried with a fresh read).
 */
export const commercetoolsConnector = defineConnector({
  id: 'oms-commercetools',
  version: '0.1.0',
  coreCompat: '^0.1.0',
  role: 'oms',
  capabilities: { idempotentWrites: true },
  config: CommercetoolsConfig,
  subscribes: { types: ['order.updated.v1'] },
  oauth2: (config) => config.oauth2,
  delivery: (config) => ({ timeoutMs: config.timeoutMs * 2 + 2_000, maxInFlight: 8 }),
  async handle(event, ctx) {
    const orderNumber = (event.data as { orderId: string }).orderId;
    const url = `${ctx.config.apiUrl.replace(/\/+$/, '')}/${ctx.config.projectKey}/orders/order-number=${encodeURIComponent(orderNumber)}`;
    const read = await ctx.http.request({
      method: 'GET',
      url,
      oauth2: true,
      timeoutMs: ctx.config.timeoutMs,
    });
    if (!read.ok) return read;
    const readFailure = classifyCommercetools(read.response, ctx.clock.now());
    if (!readFailure.ok) return readFailure;
    let order: CtOrder;
    try {
      order = JSON.parse(read.response.body) as CtOrder;
    } catch {
      return retryable('commercetools_bad_response', 'the order read was not JSON');
    }
    if (typeof order.version !== 'number' || !Array.isArray(order.lineItems)) {
      return retryable('commercetools_bad_response', 'the order read has no version or line items');
    }
    const planned = orderActionsFor(event, order, { completeOnPickup: ctx.config.completeOnPickup });
    if (!planned.ok) return permanent(planned.problem.type, planned.problem.message);
    if (planned.actions.length === 0) {
      ctx.log.info('order already up to date', { orderNumber });
      return { ok: true };
    }
    const sent = await ctx.http.request({
      method: 'POST',
      url,
      json: { version: order.version, actions: planned.actions },
      oauth2: true,
      timeoutMs: ctx.config.timeoutMs,
    });
    return sent.ok ? classifyCommercetools(sent.response, ctx.clock.now()) : sent;
  },
});

/** Retryable commercetools error codes: a concurrent change of the order (read again and retry). */
const RETRYABLE = ['ConcurrentModification', 'Overloaded'];

/** commercetools' `errors[0].code` names the type (`commercetools_<code>`); 404 ResourceNotFound is permanent. */
export function classifyCommercetools(response: HttpResponse, now: number): HandleResult {
  let body: { message?: string; errors?: Array<{ code?: string; message?: string }> } | undefined;
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {}
  const first = body?.errors?.[0];
  return classifyVendorError(
    response,
    'commercetools',
    first && { code: first.code, message: first.message ?? body?.message },
    {
      retryableCodes: RETRYABLE,
      now,
    },
  );
}
