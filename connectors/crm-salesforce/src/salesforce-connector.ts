import { defineConnector } from '@poshub/sdk';
import { classifySalesforceResponse } from './classify-salesforce-response.ts';
import { mapSalesforceRequest } from './map-salesforce-request.ts';
import { SalesforceConfig } from './salesforce-config.ts';

/**
 * Salesforce (REST API, composite resource): customers become Contacts upserted by external id, and a
 * known customer's sales and returns become purchases with their lines on the Contact, in one all-or-none
 * composite request. Every write is an upsert by external id, so a retry or a replay changes nothing the
 * first one did not. Tokens: OAuth 2.0 client credentials flow of a connected app.
 */
export const salesforceConnector = defineConnector({
  id: 'crm-salesforce',
  version: '0.1.0',
  coreCompat: '^0.1.0',
  role: 'crm',
  capabilities: { idempotentWrites: true },
  config: SalesforceConfig,
  subscribes: { types: ['customer.upserted.v1', 'sale.completed.v1', 'return.completed.v1'] },
  oauth2: (config) => config.oauth2,
  delivery: (config) => ({ timeoutMs: config.timeoutMs + 5_000, maxInFlight: 10 }),
  async handle(event, ctx) {
    const call = mapSalesforceRequest(event, ctx.config);
    if (!call) {
      ctx.log.debug('nothing to record: no customer on the transaction');
      return { ok: true };
    }
    const sent = await ctx.http.request({
      method: call.method,
      url: `${ctx.config.instanceUrl.replace(/\/+$/, '')}${call.path}`,
      json: call.body,
      oauth2: true,
      timeoutMs: ctx.config.timeoutMs,
    });
    return sent.ok ? classifySalesforceResponse(sent.response, ctx.clock.now()) : sent;
  },
});
