import { runConnectorConformance } from '@poshub/sdk/testing';
import { {{systemCamel}}Connector } from './connector.ts';

const apiKey = 'test-key-0123456789abcdef';

// The SDK's conformance kit, against its loopback target: config refusals at their paths, the canonical
// fixtures delivered, answers classified, timeout and abort, a duplicate applied once, reordering, replay.
runConnectorConformance({
  connector: {{systemCamel}}Connector,
  validConfig: ({ url }) => ({ baseUrl: url, apiKey, timeoutMs: 5_000 }),
  invalidConfigs: [
    { name: 'no base URL', config: { apiKey }, path: '/config/baseUrl' },
    {
      name: 'plain http to a remote host',
      config: { baseUrl: 'http://api.{{system}}.example', apiKey },
      path: '/config/baseUrl',
      message: /https/,
    },
    {
      name: 'a short API key',
      config: { baseUrl: 'https://api.{{system}}.example', apiKey: 'short' },
      path: '/config/apiKey',
    },
  ],
  expectRequests(event, calls) {
    const [call] = calls;
    if (call?.method !== 'POST' || call.path !== '/v1/sales')
      throw new Error(`unexpected ${call?.method} ${call?.path}`);
    if (JSON.parse(call.body).externalId !== event.id)
      throw new Error(`the body is not ${event.id}: ${call.body}`);
    if (call.headers.authorization !== `Bearer ${apiKey}`) throw new Error('no API key sent');
  },
});
