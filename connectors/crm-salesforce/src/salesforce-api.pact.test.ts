import { join } from 'node:path';
import { consumerPact, MatchersV3 } from '@poshub/contracts/consumer-pact.ts';
import {
  type ShowcaseIssuer,
  showcaseConfigs,
  startShowcaseIssuer,
} from '@poshub/contracts/showcase-configs.ts';
import { showcaseEvents } from '@poshub/contracts/showcase-events.ts';
import { type CanonicalEvent, startConnector } from '@poshub/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesforceConnector } from './salesforce-connector.ts';
import { salesforceFixtures } from './salesforce-fixtures.ts';

const { like, eachLike, regex, number, integer, datetime } = MatchersV3;

// The Salesforce connector as a consumer of the Salesforce REST API v62.0 (HTTP pact), written from
// Salesforce's REST API Developer Guide: sObject upsert by external id (PATCH
// /sobjects/{object}/{field}/{value}, 201 created / 204 updated) and the Composite resource (allOrNone,
// references between sub-requests, 200 with a compositeResponse). No org is reachable from here: the pact
// awaits verification against a sandbox (contracts/pact-manifest.ts). Tokens come from the real local
// issuer standing in for the org's token endpoint; the token endpoint is not part of the pact.
const { pact } = consumerPact({
  consumer: { name: 'poshub-connector-crm-salesforce', packageDir: join(import.meta.dirname, '..') },
  provider: { name: 'salesforce-rest-api' },
});

const { sale, ret } = showcaseEvents();
const [customer] = salesforceFixtures();
const BASE = '/services/data/v62.0';
let issuer: ShowcaseIssuer & { close(): Promise<void> };

beforeAll(async () => {
  issuer = await startShowcaseIssuer();
});
afterAll(() => issuer.close());

function deliver(url: string, event: CanonicalEvent) {
  const config = showcaseConfigs({ salesforce: url } as never, issuer)['crm-salesforce'];
  const started = startConnector(salesforceConnector, config, { log: { sink() {} } });
  if (!started.ok) throw new Error(JSON.stringify(started.problems));
  return started.target.handle(event, {
    idempotencyKey: `pact-${event.id}`,
    attempt: 1,
    signal: new AbortController().signal,
  });
}

const headers = {
  authorization: regex(/^Bearer \S+$/, 'Bearer 00Dxx0000001gPL!AR8AQJXg'),
  'content-type': regex(/^application\/json/, 'application/json'),
};

/** The purchase sub-request: upserted by its transaction id, linked to the Contact by its external id. */
const purchase = (kind: 'sale' | 'return', id: string, receipt: string) => ({
  method: 'PATCH',
  url: regex(
    new RegExp(`^${BASE}/sobjects/POS_Purchase__c/Poshub_Transaction_Id__c/[^/]+$`),
    `${BASE}/sobjects/POS_Purchase__c/Poshub_Transaction_Id__c/${id}`,
  ),
  referenceId: 'Purchase',
  body: {
    Name: like(receipt),
    Contact__r: { Poshub_Customer_Id__c: like('CUST-0042-7781') },
    Kind__c: kind,
    Store__c: like(id.slice(0, 4)),
    Business_Day__c: regex(/^\d{4}-\d{2}-\d{2}$/, id.slice(8, 18)),
    Purchased_At__c: datetime("yyyy-MM-dd'T'HH:mm:ss.SSSX", '2026-03-14T18:02:11.000Z'),
    Currency__c: regex(/^[A-Z]{3}$/, 'USD'),
    Total__c: number(66.96),
  },
});
/** A line sub-request: upserted by its line id, pointing at the purchase created in the same request. */
const line = (n: number, id: string, sku: string, description: string) => ({
  method: 'PATCH',
  url: regex(
    new RegExp(`^${BASE}/sobjects/POS_Purchase_Line__c/Poshub_Line_Id__c/[^/]+$`),
    `${BASE}/sobjects/POS_Purchase_Line__c/Poshub_Line_Id__c/${id}-${n}`,
  ),
  referenceId: `Line${n}`,
  body: {
    Purchase__c: '@{Purchase.id}',
    SKU__c: like(sku),
    Description__c: like(description),
    Quantity__c: number(1),
    Amount__c: number(12.5),
  },
});
const created = (referenceId: string) => ({
  body: { id: like('a0B5g00000XyZ1AEAV'), success: true, errors: [], created: like(true) },
  httpHeaders: { Location: like(`${BASE}/sobjects/POS_Purchase__c/a0B5g00000XyZ1AEAV`) },
  httpStatusCode: integer(201),
  referenceId,
});

/** A Contact as the POS customer fixture gives it (written from the canonical model's CustomerUpsert). */
const contactBody = {
  LastName: like('Lovelace'),
  FirstName: like('Ada'),
  Email: like('ada@example.org'),
  Phone: like('+1 415 555 0100'),
  HasOptedOutOfEmail: like(true),
  MailingStreet: like('1 Market St\nSuite 300'),
  MailingCity: like('San Francisco'),
  MailingState: like('CA'),
  MailingPostalCode: like('94105'),
  MailingCountryCode: regex(/^[A-Z]{2}$/, 'US'),
};

describe('crm-salesforce → Salesforce REST API (HTTP pact)', () => {
  it('upserts a customer as a Contact by external id', async () => {
    await pact
      .addInteraction()
      .given('the org has the poshub Contact external id field')
      .uponReceiving('a Contact upserted by its poshub customer id')
      .withRequest(
        'PATCH',
        regex(
          new RegExp(`^${BASE}/sobjects/Contact/Poshub_Customer_Id__c/[^/]+$`),
          `${BASE}/sobjects/Contact/Poshub_Customer_Id__c/CUST-0042-7781`,
        ),
        (b) => b.headers(headers).jsonBody(contactBody),
      )
      .willRespondWith(201, (b) =>
        b.jsonBody({ id: like('0035g00000ABCDeAAH'), success: true, errors: [], created: true }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, customer!)).toEqual({ ok: true });
      });
  });

  it("records a known customer's sale of two items on their timeline in one composite request", async () => {
    await pact
      .addInteraction()
      .given('the org has the poshub purchase objects and Contact CUST-0042-7781')
      .uponReceiving('a composite upsert of a purchase and its two lines')
      .withRequest('POST', `${BASE}/composite`, (b) =>
        b.headers(headers).jsonBody({
          allOrNone: true,
          compositeRequest: [
            purchase('sale', '0042-03-2026-03-14-2210', '0042-03-2210'),
            line(1, '0042-03-2026-03-14-2210', 'TSHIRT-M-BLU', 'T-shirt blue M'),
            line(2, '0042-03-2026-03-14-2210', 'JEANS-32-IND', 'Jeans indigo 32'),
          ],
        }),
      )
      .willRespondWith(200, (b) =>
        b.jsonBody({ compositeResponse: [created('Purchase'), created('Line1'), created('Line2')] }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, sale)).toEqual({ ok: true });
      });
  });

  it("records the customer's return of one item in one composite request", async () => {
    await pact
      .addInteraction()
      .given('the org has the poshub purchase objects and Contact CUST-0042-7781')
      .uponReceiving('a composite upsert of a return and its line')
      .withRequest('POST', `${BASE}/composite`, (b) =>
        b.headers(headers).jsonBody({
          allOrNone: true,
          compositeRequest: [
            purchase('return', '0107-01-2026-03-15-17', '0107-01-17'),
            line(1, '0107-01-2026-03-15-17', 'JEANS-32-IND', 'Jeans indigo 32'),
          ],
        }),
      )
      .willRespondWith(200, (b) => b.jsonBody({ compositeResponse: [created('Purchase'), created('Line1')] }))
      .executeTest(async (server) => {
        expect(await deliver(server.url, ret)).toEqual({ ok: true });
      });
  });

  it('dead-letters a purchase Salesforce refuses (a required field is missing), all or none', async () => {
    await pact
      .addInteraction()
      .given('the purchase object has a required field poshub does not fill')
      .uponReceiving('a composite upsert of a purchase that fails validation')
      .withRequest('POST', `${BASE}/composite`, (b) =>
        b.headers(headers).jsonBody({
          allOrNone: true,
          compositeRequest: [
            purchase('return', '0107-01-2026-03-15-17', '0107-01-17'),
            line(1, '0107-01-2026-03-15-17', 'JEANS-32-IND', 'Jeans indigo 32'),
          ],
        }),
      )
      .willRespondWith(200, (b) =>
        b.jsonBody({
          compositeResponse: [
            {
              body: eachLike({
                errorCode: 'REQUIRED_FIELD_MISSING',
                message: like('Required fields are missing: [Channel__c]'),
              }),
              httpHeaders: {},
              httpStatusCode: 400,
              referenceId: 'Purchase',
            },
            {
              body: eachLike({
                errorCode: 'PROCESSING_HALTED',
                message: like('The transaction was rolled back'),
              }),
              httpHeaders: {},
              httpStatusCode: 400,
              referenceId: 'Line1',
            },
          ],
        }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, ret)).toMatchObject({
          ok: false,
          error: { retryable: false, type: 'salesforce_required_field_missing' },
        });
      });
  });

  it("retries when the org's API request limit is reached (403 REQUEST_LIMIT_EXCEEDED)", async () => {
    await pact
      .addInteraction()
      .given("the org's daily API request limit is reached")
      .uponReceiving('a Contact upsert over the API request limit')
      .withRequest(
        'PATCH',
        regex(
          new RegExp(`^${BASE}/sobjects/Contact/Poshub_Customer_Id__c/[^/]+$`),
          `${BASE}/sobjects/Contact/Poshub_Customer_Id__c/CUST-0042-7781`,
        ),
        (b) => b.headers(headers).jsonBody(contactBody),
      )
      .willRespondWith(403, (b) =>
        b.jsonBody(
          eachLike({ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: like('TotalRequests Limit exceeded.') }),
        ),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, customer!)).toMatchObject({
          ok: false,
          error: { retryable: true, type: 'salesforce_request_limit_exceeded' },
        });
      });
  });
});
