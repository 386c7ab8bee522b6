import { join } from 'node:path';
import { consumerPact, MatchersV3 } from '@poshub/contracts/consumer-pact.ts';
import { showcaseConfigs } from '@poshub/contracts/showcase-configs.ts';
import { showcaseEvents } from '@poshub/contracts/showcase-events.ts';
import { type CanonicalEvent, startConnector } from '@poshub/sdk';
import { describe, expect, it } from 'vitest';
import { s4hanaConnector } from './s4hana-connector.ts';

const { like, eachLike, regex } = MatchersV3;

// The S/4HANA connector as a consumer of SAP's public OData V2 APIs (HTTP pact): API_SALES_ORDER_SRV
// (A_SalesOrder, deep insert with to_Item and to_PricingElement) and API_CUSTOMER_RETURN_SRV
// (A_CustomerReturn), as the SAP Business Accelerator Hub documents them, with SAP Gateway's CSRF token
// protocol (x-csrf-token: Fetch on a GET, then the token and the session cookie on the POST). No S/4HANA
// system is reachable from here: the pact awaits verification against one (contracts/pact-manifest.ts).
const { pact } = consumerPact({
  consumer: { name: 'poshub-connector-erp-sap-s4hana', packageDir: join(import.meta.dirname, '..') },
  provider: { name: 'sap-s4hana-odata-api' },
});

const { sale, ret } = showcaseEvents();
const ORDERS = '/sap/opu/odata/sap/API_SALES_ORDER_SRV/A_SalesOrder';
const RETURNS = '/sap/opu/odata/sap/API_CUSTOMER_RETURN_SRV/A_CustomerReturn';
const SALE_REF = 'POS-0042-03-20260314-2210';
const RETURN_REF = 'POS-0107-01-20260315-17';
const CSRF = 'kJ8x0Ypq4nH2aQ3zWm5e1g==';

function deliver(url: string, event: CanonicalEvent) {
  const config = showcaseConfigs({ s4hana: url } as never, {} as never)['erp-sap-s4hana'];
  const started = startConnector(s4hanaConnector, config, { log: { sink() {} } });
  if (!started.ok) throw new Error(JSON.stringify(started.problems));
  return started.target.handle(event, {
    idempotencyKey: `pact-${event.id}`,
    attempt: 1,
    signal: new AbortController().signal,
  });
}

const basic = regex(/^Basic \S+$/, 'Basic UE9TSFVCX0NPTU1fVVNFUjpjb21tLXVzZXItcGFzc3dvcmQ=');
const byReference = (field: 'PurchaseOrderByCustomer' | 'SalesOrder', ref: string) => ({
  $filter: regex(/^PurchaseOrderByCustomer eq '[^']{1,35}'$/, `PurchaseOrderByCustomer eq '${ref}'`),
  $select: field,
  $top: '1',
  $format: 'json',
});
const fetchHeaders = { authorization: basic, accept: 'application/json', 'x-csrf-token': 'Fetch' };
const writeHeaders = {
  authorization: basic,
  accept: 'application/json',
  'content-type': regex(/^application\/json/, 'application/json'),
  'x-csrf-token': like(CSRF),
  cookie: regex(/^SAP_SESSIONID_\S+=\S+/, 'SAP_SESSIONID_S4H_100=abc123'),
};
const sessionHeaders = {
  'content-type': 'application/json',
  'x-csrf-token': like(CSRF),
  'set-cookie': regex(
    /^SAP_SESSIONID_\S+=[^;]+;.*$/,
    'SAP_SESSIONID_S4H_100=abc123; path=/; secure; HttpOnly',
  ),
};
const area = (ref: string) => ({
  SalesOrganization: '1010',
  DistributionChannel: '10',
  OrganizationDivision: '00',
  SoldToParty: '1000001',
  PurchaseOrderByCustomer: regex(/^POS-\S{1,31}$/, ref),
  TransactionCurrency: regex(/^[A-Z]{3}$/, 'USD'),
});
const pricing = eachLike({
  ConditionType: 'PMP0',
  ConditionRateValue: regex(/^-?\d+(\.\d+)?$/, '12.50'),
  ConditionCurrency: regex(/^[A-Z]{3}$/, 'USD'),
});

const salesOrderBody = {
  SalesOrderType: 'OR',
  ...area(SALE_REF),
  to_Item: eachLike({
    SalesOrderItem: regex(/^\d+0$/, '10'),
    Material: like('TSHIRT-M-BLU'),
    RequestedQuantity: regex(/^\d+(\.\d+)?$/, '1'),
    ProductionPlant: regex(/^[A-Z0-9]{4}$/, '1010'),
    to_PricingElement: pricing,
  }),
};

function lookup(
  service: 'orders' | 'returns',
  ref: string,
  results: unknown[],
  state = 'S/4HANA knows the materials, plants and sold-to party',
) {
  return pact
    .addInteraction()
    .given(state)
    .uponReceiving(
      service === 'orders'
        ? 'a lookup of the sales order of a POS sale, fetching a CSRF token'
        : 'a lookup of the customer return of a POS return, fetching a CSRF token',
    )
    .withRequest('GET', service === 'orders' ? ORDERS : RETURNS, (b) =>
      b.query(byReference('PurchaseOrderByCustomer', ref)).headers(fetchHeaders),
    )
    .willRespondWith(200, (b) => b.headers(sessionHeaders).jsonBody({ d: { results } }));
}

// PactV4 serves every interaction added since its last test, so a flow of several calls is built by adding
// the earlier calls first and running the test on the last one.
describe('erp-sap-s4hana → S/4HANA OData APIs (HTTP pact)', () => {
  it('looks the sale up (none yet), then creates its sales order with the CSRF token', async () => {
    lookup('orders', SALE_REF, []);
    await pact
      .addInteraction()
      .given('S/4HANA knows the materials, plants and sold-to party')
      .uponReceiving('a sales order for a POS sale, with its items and their net prices')
      .withRequest('POST', ORDERS, (b) => b.headers(writeHeaders).jsonBody(salesOrderBody))
      .willRespondWith(201, (b) =>
        b.jsonBody({ d: { SalesOrder: like('1000123'), PurchaseOrderByCustomer: like(SALE_REF) } }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, sale)).toEqual({ ok: true });
      });
  });

  it('looks the return up (none yet) and its original order, then creates the customer return referencing it', async () => {
    lookup('returns', RETURN_REF, []);
    pact
      .addInteraction()
      .given('S/4HANA knows the materials, plants and sold-to party')
      .given(`the sales order of ${SALE_REF} exists`)
      .uponReceiving('a lookup of the sales order a POS return refers to')
      .withRequest('GET', ORDERS, (b) => b.query(byReference('SalesOrder', SALE_REF)).headers(fetchHeaders))
      .willRespondWith(200, (b) =>
        b.headers(sessionHeaders).jsonBody({ d: { results: eachLike({ SalesOrder: like('1000123') }) } }),
      );
    await pact
      .addInteraction()
      .given('S/4HANA knows the materials, plants and sold-to party')
      .given(`the sales order of ${SALE_REF} exists`)
      .uponReceiving('a customer return for a POS return, referencing the original sales order')
      .withRequest('POST', RETURNS, (b) =>
        b.headers(writeHeaders).jsonBody({
          CustomerReturnType: 'CBAR',
          ...area(RETURN_REF),
          SDDocumentReason: '101',
          to_Item: eachLike({
            CustomerReturnItem: regex(/^\d+0$/, '10'),
            Material: like('JEANS-32-IND'),
            RequestedQuantity: regex(/^\d+(\.\d+)?$/, '1'),
            Plant: regex(/^[A-Z0-9]{4}$/, '1020'),
            ReturnReason: '101',
            to_PricingElement: pricing,
            ReferenceSDDocument: like('1000123'),
          }),
        }),
      )
      .willRespondWith(201, (b) =>
        b.jsonBody({ d: { CustomerReturn: like('60000042'), PurchaseOrderByCustomer: like(RETURN_REF) } }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, ret)).toEqual({ ok: true });
      });
  });

  it('does not create the sales order again when the lookup finds it (a retry after a lost answer)', async () => {
    await pact
      .addInteraction()
      .given(`the sales order of ${SALE_REF} exists`)
      .uponReceiving('a lookup of the sales order of a POS sale already posted')
      .withRequest('GET', ORDERS, (b) =>
        b.query(byReference('PurchaseOrderByCustomer', SALE_REF)).headers(fetchHeaders),
      )
      .willRespondWith(200, (b) =>
        b
          .headers(sessionHeaders)
          .jsonBody({ d: { results: eachLike({ PurchaseOrderByCustomer: like(SALE_REF) }) } }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, sale)).toEqual({ ok: true });
      });
  });

  it('dead-letters a sales order S/4HANA refuses (an unknown material), with its OData error code', async () => {
    lookup('orders', SALE_REF, [], 'S/4HANA does not know material TSHIRT-M-BLU');
    await pact
      .addInteraction()
      .given('S/4HANA does not know material TSHIRT-M-BLU')
      .uponReceiving('a sales order with an unknown material')
      .withRequest('POST', ORDERS, (b) => b.headers(writeHeaders).jsonBody(salesOrderBody))
      .willRespondWith(400, (b) =>
        b.jsonBody({
          error: {
            code: 'V1/045',
            message: { lang: 'en', value: like('Material TSHIRT-M-BLU does not exist') },
          },
        }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, sale)).toMatchObject({
          ok: false,
          error: { retryable: false, type: 'sap_v1_045' },
        });
      });
  });

  it('retries when S/4HANA is throttling (429 with Retry-After)', async () => {
    await pact
      .addInteraction()
      .given('the API is rate limited')
      .uponReceiving('a lookup while the API is rate limited')
      .withRequest('GET', ORDERS, (b) =>
        b.query(byReference('PurchaseOrderByCustomer', SALE_REF)).headers(fetchHeaders),
      )
      .willRespondWith(429, (b) => b.headers({ 'retry-after': '30' }))
      .executeTest(async (server) => {
        expect(await deliver(server.url, sale)).toMatchObject({ ok: false, error: { retryable: true } });
      });
  });
});
