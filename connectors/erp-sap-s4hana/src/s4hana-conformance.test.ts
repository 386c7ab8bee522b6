import { runConnectorConformance } from '@poshub/sdk/testing';
import { s4hanaConnector } from './s4hana-connector.ts';
import { s4Config } from './s4hana-fixtures.ts';

runConnectorConformance({
  connector: s4hanaConnector,
  validConfig: ({ url }) => s4Config(url),
  invalidConfigs: [
    {
      name: 'no password',
      config: { ...s4Config('https://x.example.test'), password: undefined },
      path: '/config/password',
    },
    {
      name: 'a plant that is not one',
      config: { ...s4Config('https://x.example.test'), plants: { '0042': 'Main' } },
      path: '/config/plants/0042',
    },
    {
      name: 'plain http to a remote system',
      config: s4Config('http://s4.example.test'),
      path: '/config/baseUrl',
    },
  ],
  // No idempotency key in these APIs: a create is the same write when it carries the same customer reference.
  target: {
    okBody: JSON.stringify({ d: { results: [] } }),
    keyOf: (call) => {
      if (call.method !== 'POST') return undefined;
      try {
        return (JSON.parse(call.body) as { PurchaseOrderByCustomer?: string }).PurchaseOrderByCustomer;
      } catch {
        return undefined;
      }
    },
    verify: (call) =>
      call.headers.authorization?.startsWith('Basic ') ? undefined : 'no basic authentication',
  },
});
