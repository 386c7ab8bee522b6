// The connectors a showcase hub runs: `pnpm poshub serve --connectors load-tests/showcase/showcase-connectors.ts`
// with SHOWCASE_URLS (the vendors: gates in front of Pact stubs) and SHOWCASE_ISSUER (the token endpoint
// and NetSuite's key), both JSON. The six reference connectors with the configs their pacts were written
// with; retries and the breaker are tightened so a target that was down for a minute is caught up within
// seconds of coming back (production keeps the defaults: minutes between late retries).

import { salesforceConnector } from '@poshub/connector-crm-salesforce';
import { netsuiteConnector } from '@poshub/connector-erp-netsuite';
import { s4hanaConnector } from '@poshub/connector-erp-sap-s4hana';
import { shopifyInventoryConnector } from '@poshub/connector-inventory-shopify';
import { squareLoyaltyConnector } from '@poshub/connector-loyalty-square';
import { commercetoolsConnector } from '@poshub/connector-oms-commercetools';
import { showcaseConfigs } from '@poshub/contracts/showcase-configs.ts';

const DELIVERY = {
  retry: { baseMs: 250, capMs: 4_000, maxAttempts: 1_000, maxAgeMs: 3_600_000, nonRetryable: [] },
  breaker: { failureThreshold: 5, openMs: 2_000 },
};

export function connectors(env: NodeJS.ProcessEnv) {
  if (!env.SHOWCASE_URLS || !env.SHOWCASE_ISSUER)
    throw new Error('SHOWCASE_URLS and SHOWCASE_ISSUER must be set');
  const configs = showcaseConfigs(JSON.parse(env.SHOWCASE_URLS), JSON.parse(env.SHOWCASE_ISSUER));
  return [
    netsuiteConnector,
    s4hanaConnector,
    salesforceConnector,
    squareLoyaltyConnector,
    shopifyInventoryConnector,
    commercetoolsConnector,
  ].map((connector) => ({ connector, config: configs[connector.id], delivery: DELIVERY }));
}
