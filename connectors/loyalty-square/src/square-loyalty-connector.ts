import {
  classifyVendorError,
  defineConnector,
  type HandleResult,
  type HttpResponse,
  permanent,
} from '@poshub/sdk';
import { loyaltyCallsOf } from './loyalty-calls.ts';
import { SquareLoyaltyConfig } from './square-loyalty-config.ts';

/** Square error codes that clear by themselves. */
const RETRYABLE_CODES = ['RATE_LIMITED', 'SERVICE_UNAVAILABLE', 'GATEWAY_TIMEOUT', 'INTERNAL_SERVER_ERROR'];

/**
 * Square Loyalty (`/v2/loyalty/accounts/{id}/accumulate` and `/adjust`): a member's sale accrues points
 * and takes off the points it was paid with, a return takes back what its refund earned, and loyalty
 * events computed by the POS pass through. Every call carries an idempotency key derived from the
 * delivery's (one per kind of call), which Square keeps, so retries and replays count once.
 */
export const squareLoyaltyConnector = defineConnector({
  id: 'loyalty-square',
  version: '0.1.0',
  coreCompat: '^0.1.0',
  role: 'loyalty',
  capabilities: { idempotentWrites: true },
  config: SquareLoyaltyConfig,
  subscribes: {
    types: [
      'sale.completed.v1',
      'return.completed.v1',
      'loyalty.accrued.v1',
      'loyalty.redeemed.v1',
      'loyalty.adjusted.v1',
    ],
  },
  delivery: (config) => ({ timeoutMs: config.timeoutMs * 2 + 2_000, maxInFlight: 8 }),
  async handle(event, ctx) {
    const mapped = loyaltyCallsOf(event, ctx.config);
    if (!mapped.ok) return permanent(mapped.type, mapped.message);
    for (const call of mapped.calls) {
      const sent = await ctx.http.request({
        method: 'POST',
        url: `${ctx.config.baseUrl.replace(/\/+$/, '')}${call.path}`,
        json: { ...call.body, idempotency_key: `${ctx.idempotencyKey}:${call.suffix}` },
        timeoutMs: ctx.config.timeoutMs,
        headers: {
          authorization: `Bearer ${ctx.config.accessToken}`,
          'square-version': ctx.config.squareVersion,
        },
      });
      if (!sent.ok) return sent;
      const result = classifySquareResponse(sent.response, ctx.clock.now());
      if (!result.ok) return result;
    }
    return { ok: true };
  },
});

/** Square's `errors[].code` names the type (`square_<code>`); rate limits and outages are retried. */
export function classifySquareResponse(response: HttpResponse, now: number): HandleResult {
  let first: { code?: string; detail?: string } | undefined;
  try {
    first = (JSON.parse(response.body) as { errors?: Array<typeof first> }).errors?.[0];
  } catch {}
  return classifyVendorError(response, 'square', first && { code: first.code, message: first.detail }, {
    retryableCodes: RETRYABLE_CODES,
    now,
  });
}
