import { type ConnectorContext, classifyResponse, type HandleResult, permanent } from '@poshub/sdk';
import type { {{System}}Config } from './config.ts';
import type { {{System}}Sale } from './mapper.ts';

/**
 * Posts one sale to {{System}} and says what the answer means. The idempotency key is the same on every
 * retry and replay of the event, so {{System}} applies it once. 2xx is delivered; a 422 with {{System}}'s
 * error code is permanent (the event is dead-lettered for an operator); everything else follows the SDK's
 * rules (408, 425, 429 and 5xx retryable after their Retry-After, other answers permanent). A timeout or a
 * network error comes back from `ctx.http` as a retryable failure. Never retry or sleep here: the hub does.
 */
export async function post{{System}}Sale(
  sale: {{System}}Sale,
  ctx: ConnectorContext<{{System}}Config>,
): Promise<HandleResult> {
  const sent = await ctx.http.request({
    method: 'POST',
    url: `${ctx.config.baseUrl.replace(/\/$/, '')}/v1/sales`,
    json: sale,
    timeoutMs: ctx.config.timeoutMs,
    headers: {
      authorization: `Bearer ${ctx.config.apiKey}`,
      'idempotency-key': ctx.idempotencyKey,
    },
  });
  if (!sent.ok) return sent;
  const { response } = sent;
  if (response.status === 422) {
    const error = response.json() as { code?: unknown; message?: unknown } | undefined;
    const code = typeof error?.code === 'string' ? error.code : 'invalid';
    const message = typeof error?.message === 'string' ? error.message : 'no reason given';
    return permanent(`{{systemSnake}}_${code}`, `{{System}} refused ${sale.externalId}: ${message}`);
  }
  return classifyResponse(response, { now: ctx.clock.now() });
}
