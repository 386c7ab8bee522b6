import { MatchersV3 } from '@poshub/contracts/consumer-pact.ts';
import { describeHubEventsPact } from '@poshub/contracts/hub-events/describe-hub-events-pact.ts';
import { showcaseConfigs } from '@poshub/contracts/showcase-configs.ts';
import { mapSalesforceRequest } from './map-salesforce-request.ts';
import { SalesforceConfig } from './salesforce-config.ts';

const { like } = MatchersV3;
const config = SalesforceConfig.parse(
  showcaseConfigs(
    { salesforce: 'https://acme.my.salesforce.com' } as never,
    {
      issuer: 'https://acme.my.salesforce.com',
      tokenEndpoint: 'https://acme.my.salesforce.com/services/oauth2/token',
    } as never,
  )['crm-salesforce'],
);

// A sale goes on a known customer's timeline: the CRM relies on the customer's id and the time of the sale.
// A return without a customer (the recorded POSLog and Shopify returns name none) records nothing.
describeHubEventsPact({
  connector: 'crm-salesforce',
  types: ['sale.completed.v1', 'return.completed.v1'],
  relies: (example) =>
    example.type === 'sale.completed.v1'
      ? {
          data: {
            customer: { customerId: like('CUST-0042-7781') },
            occurredAt: { utc: like('2026-03-14T18:02:11.000Z') },
          },
        }
      : {},
  consume(event) {
    const call = mapSalesforceRequest(event, config);
    if (event.type === 'sale.completed.v1' && !call)
      throw new Error('a sale with a customer recorded nothing');
  },
});
