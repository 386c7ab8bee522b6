import { canonicalFixtures } from '@poshub/sdk/testing';
import { describe, expect, it } from 'vitest';
import { mapSalesforceRequest } from './map-salesforce-request.ts';
import { SalesforceConfig } from './salesforce-config.ts';
import { salesforceFixtures } from './salesforce-fixtures.ts';

const config = SalesforceConfig.parse({
  instanceUrl: 'https://acme.my.salesforce.com',
  oauth2: {
    issuer: 'https://acme.my.salesforce.com',
    tokenEndpoint: 'https://acme.my.salesforce.com/services/oauth2/token',
    clientId: 'app',
    authMethod: 'client_secret_post',
    clientSecret: 'not-used-here',
  },
});
const [customer, sale, refund] = salesforceFixtures();

interface SubRequest {
  method: string;
  url: string;
  referenceId: string;
  body: Record<string, unknown> & { Total__c?: number };
}

describe('mapSalesforceRequest (canonical fixtures)', () => {
  it('upserts a customer as a Contact by external id, consent as the e-mail opt-out', () => {
    expect(mapSalesforceRequest(customer!, config)).toEqual({
      method: 'PATCH',
      path: '/services/data/v62.0/sobjects/Contact/Poshub_Customer_Id__c/CUST-0042-7781',
      body: {
        LastName: 'Lovelace',
        FirstName: 'Ada',
        Email: 'ada@example.org',
        Phone: '+1 415 555 0100',
        HasOptedOutOfEmail: true,
        MailingStreet: '1 Market St\nSuite 300',
        MailingCity: 'San Francisco',
        MailingState: 'CA',
        MailingPostalCode: '94105',
        MailingCountryCode: 'US',
      },
    });
  });

  it("puts a customer's sale on the Contact: one composite request, the purchase then its lines", () => {
    const call = mapSalesforceRequest(sale!, config)!;
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/services/data/v62.0/composite');
    const body = call.body as { allOrNone: boolean; compositeRequest: SubRequest[] };
    expect(body.allOrNone).toBe(true);
    expect(body.compositeRequest.map((r) => r.referenceId)).toEqual(['Purchase', 'Line1', 'Line2']);
    expect(body.compositeRequest[0]).toMatchObject({
      method: 'PATCH',
      url: '/services/data/v62.0/sobjects/POS_Purchase__c/Poshub_Transaction_Id__c/0042-03-2026-03-14-1187',
      body: { Contact__r: { Poshub_Customer_Id__c: 'CUST-0042-7781' }, Total__c: 25.76, Kind__c: 'sale' },
    });
    expect(body.compositeRequest[2]).toMatchObject({
      url: '/services/data/v62.0/sobjects/POS_Purchase_Line__c/Poshub_Line_Id__c/0042-03-2026-03-14-1187-2',
      body: { Purchase__c: '@{Purchase.id}', SKU__c: 'APPLE-HC', Quantity__c: 0.42, Amount__c: 1.26 },
    });
  });

  it('records a return as a purchase of kind return with negative amounts', () => {
    const body = mapSalesforceRequest(refund!, config)!.body as { compositeRequest: SubRequest[] };
    expect(body.compositeRequest[0]!.body).toMatchObject({ Kind__c: 'return' });
    expect(body.compositeRequest[0]!.body.Total__c!).toBeLessThan(0);
  });

  it('has nothing to record for a sale without a customer', () => {
    expect(mapSalesforceRequest(canonicalFixtures()[0]!, config)).toBeUndefined();
  });
});
