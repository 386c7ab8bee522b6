import { runConnectorConformance } from '@poshub/sdk/testing';
import { expect } from 'vitest';
import { loyaltyFixtures } from './loyalty-fixtures.ts';
import { squareLoyaltyConnector } from './square-loyalty-connector.ts';

const valid = (baseUrl: string) => ({
  baseUrl,
  accessToken: 'EAAAl-test-token',
  locations: { '0042': 'P034NEENMD09F', '0107': 'P034NEENMD10X' },
  spendPerPoint: '1.00',
  pointValue: '0.01',
  timeoutMs: 1000,
});

runConnectorConformance({
  connector: squareLoyaltyConnector,
  fixtures: loyaltyFixtures(),
  validConfig: ({ url }) => valid(url),
  invalidConfigs: [
    {
      name: 'no access token',
      config: { ...valid('https://x.example.test'), accessToken: undefined },
      path: '/config/accessToken',
    },
    {
      name: 'a spend per point that is not a decimal',
      config: { ...valid('https://x.example.test'), spendPerPoint: 'one' },
      path: '/config/spendPerPoint',
    },
    {
      name: 'no store mapped',
      config: { ...valid('https://x.example.test'), locations: {} },
      path: '/config/locations',
    },
  ],
  // Square keeps each idempotency_key: the same key is the same write.
  target: {
    keyOf: (call) => {
      try {
        return (JSON.parse(call.body) as { idempotency_key?: string }).idempotency_key;
      } catch {
        return undefined;
      }
    },
    verify: (call) => (call.headers.authorization === 'Bearer EAAAl-test-token' ? undefined : 'bad token'),
  },
  expectRequests(_event, calls) {
    for (const c of calls) {
      expect(c.path).toMatch(/^\/v2\/loyalty\/accounts\/LOY-778812\/(accumulate|adjust)$/);
      expect(c.headers['square-version']).toBe('2025-10-16');
    }
  },
});
