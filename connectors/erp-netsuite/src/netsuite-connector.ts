import { defineConnector, permanent } from '@poshub/sdk';
import { classifyNetSuiteResponse } from './classify-netsuite-response.ts';
import { mapCashRecord } from './map-cash-record.ts';
import { NetSuiteConfig, restBaseOf } from './netsuite-config.ts';

/**
 * Oracle NetSuite, REST record API v1: a sale becomes a cash sale, a return a cash refund created from
 * the original cash sale. Each is an upsert by external id (`PUT /record/v1/{type}/eid:{externalId}`),
 * so a retried or replayed delivery updates the same record instead of adding one: NetSuite's own
 * idempotency key applies only to asynchronous requests. Tokens: OAuth 2.0 client credentials with a
 * signed JWT assertion (private_key_jwt), cached and refreshed by the SDK.
 */
export const netsuiteConnector = defineConnector({
  id: 'erp-netsuite',
  version: '0.1.0',
  coreCompat: '^0.1.0',
  role: 'erp',
  // A refund must find its cash sale: one store's transactions go in order.
  capabilities: { orderedPerStore: true, idempotentWrites: true },
  config: NetSuiteConfig,
  subscribes: { types: ['sale.completed.v1', 'return.completed.v1'] },
  oauth2: (config) => config.oauth2,
  delivery: (config) => ({ timeoutMs: config.timeoutMs + 5_000, maxInFlight: 5 }),
  async handle(event, ctx) {
    const mapped = mapCashRecord(event, ctx.config);
    if (!mapped.ok) return permanent(mapped.problem.type, mapped.problem.message);
    const { recordType, externalId, body } = mapped.record;
    const sent = await ctx.http.request({
      method: 'PUT',
      url: `${restBaseOf(ctx.config)}/record/v1/${recordType}/eid:${encodeURIComponent(externalId)}`,
      json: body,
      oauth2: true,
      timeoutMs: ctx.config.timeoutMs,
      headers: { 'x-netsuite-propertynamevalidation': 'Error' },
    });
    if (!sent.ok) return sent;
    const result = classifyNetSuiteResponse(sent.response, ctx.clock.now());
    if (result.ok) ctx.log.info('posted', { recordType, externalId });
    return result;
  },
});
