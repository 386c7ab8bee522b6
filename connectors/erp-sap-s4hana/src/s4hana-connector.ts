import { defineConnector } from '@poshub/sdk';
import { mapS4Document } from './map-s4-document.ts';
import { authHeader, odataFailure, odataQuery, serviceUrl } from './odata-session.ts';
import { S4HanaConfig } from './s4hana-config.ts';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * SAP S/4HANA (public OData V2 APIs API_SALES_ORDER_SRV and API_CUSTOMER_RETURN_SRV): a sale becomes a
 * sales order, a return a customer return whose items reference the original order. These APIs take no
 * idempotency key, so each delivery looks first for a document carrying the transaction's customer
 * reference (PurchaseOrderByCustomer) and creates one only when there is none; the runtime never runs two
 * attempts of one event for a connector at once, and the connector is ordered per store, so the lookup and
 * the create do not race. The lookup also fetches the CSRF token the create needs.
 */
export const s4hanaConnector = defineConnector({
  id: 'erp-sap-s4hana',
  version: '0.1.0',
  coreCompat: '^0.1.0',
  role: 'erp',
  capabilities: { orderedPerStore: true, idempotentWrites: true },
  config: S4HanaConfig,
  subscribes: { types: ['sale.completed.v1', 'return.completed.v1'] },
  delivery: (config) => ({ timeoutMs: config.timeoutMs * 3 + 5_000, maxInFlight: 4 }),
  async handle(event, ctx) {
    const mapped = mapS4Document(event, ctx.config);
    if (!mapped.ok)
      return { ok: false, error: { retryable: false, type: mapped.type, message: mapped.message } };
    const doc = mapped.document;
    const now = ctx.clock.now();
    const root = serviceUrl(ctx.config, doc.service);
    const existing = await odataQuery(
      ctx.http,
      ctx.config,
      `${root}/${doc.entitySet}?$filter=PurchaseOrderByCustomer eq ${quote(doc.reference)}&$select=PurchaseOrderByCustomer&$top=1&$format=json`,
      now,
    );
    if (!existing.ok) return existing;
    if (existing.results.length > 0) {
      ctx.log.info('already posted', { entitySet: doc.entitySet, reference: doc.reference });
      return { ok: true };
    }
    let body = doc.body;
    if (doc.originalReference) {
      const original = await odataQuery(
        ctx.http,
        ctx.config,
        `${serviceUrl(ctx.config, 'API_SALES_ORDER_SRV')}/A_SalesOrder?$filter=PurchaseOrderByCustomer eq ${quote(doc.originalReference)}&$select=SalesOrder&$top=1&$format=json`,
        now,
      );
      if (!original.ok) return original;
      const salesOrder = original.results[0]?.SalesOrder;
      if (typeof salesOrder === 'string') {
        body = {
          ...body,
          to_Item: (body.to_Item as Array<Record<string, unknown>>).map((i) => ({
            ...i,
            ReferenceSDDocument: salesOrder,
          })),
        };
      } else {
        ctx.log.warn('original sale not found in S/4HANA: the return is posted without reference', {
          reference: doc.originalReference,
        });
      }
    }
    const created = await ctx.http.request({
      method: 'POST',
      url: `${root}/${doc.entitySet}`,
      json: body,
      timeoutMs: ctx.config.timeoutMs,
      headers: {
        authorization: authHeader(ctx.config),
        accept: 'application/json',
        'x-csrf-token': existing.session.csrfToken,
        ...(existing.session.cookie ? { cookie: existing.session.cookie } : {}),
      },
    });
    if (!created.ok) return created;
    return odataFailure(created.response, now) ?? { ok: true };
  },
});
