import './pact-do-not-track.ts';
import { verifyCanonicalEventMessages } from './hub-events/verify-canonical-event-messages.ts';
import { verifyIngestApi } from './pos-terminal/verify-ingest-api.ts';
import { verifyStandardWebhooksReceiver } from './webhook-receiver/verify-standard-webhooks-receiver.ts';

/** The reference connectors under connectors/ that hold a message pact with the hub, besides the webhook. */
const REFERENCE_CONNECTORS = [
  'erp-netsuite',
  'erp-sap-s4hana',
  'crm-salesforce',
  'loyalty-square',
  'inventory-shopify',
  'oms-commercetools',
] as const;

/** How a pact whose provider lives in this repository is verified. */
export interface PactVerifier {
  /** What the pact is verified against, for people reading the test output. */
  against: string;
  verify(pactFile: string): Promise<void>;
}

/**
 * Every pact in contracts/pacts/ whose provider is in this repository, by file name, and its verifier. The
 * pact check (pacts-verified.test.ts) runs each one; a pact with a vendor's API as its provider is not
 * listed here but needs a vendor verification record instead (verify-vendor-pact.ts).
 */
export const PACT_VERIFIERS: Readonly<Record<string, PactVerifier>> = {
  'poshub-connector-webhook-poshub-hub.json': {
    against: 'the messages the hub publishes for recorded Shopify and POSLog documents',
    verify: verifyCanonicalEventMessages,
  },
  'poshub-connector-webhook-standard-webhooks-receiver.json': {
    against: 'the reference Standard Webhooks receiver',
    verify: verifyStandardWebhooksReceiver,
  },
  'poshub-pos-terminal-poshub-ingest-api.json': {
    against: 'a running hub (ingest API on PGlite, development issuer)',
    verify: verifyIngestApi,
  },
  // The reference connectors' message pacts (connectors/<name>/src/hub-events.pact.test.ts).
  ...Object.fromEntries(
    REFERENCE_CONNECTORS.map((name) => [
      `poshub-connector-${name}-poshub-hub.json`,
      {
        against: 'the messages the hub publishes for recorded Shopify and POSLog documents',
        verify: verifyCanonicalEventMessages,
      },
    ]),
  ),
};

/** A vendor pact written from the vendor's published API reference, not yet verified against its API. */
export interface UnverifiedVendorPact {
  /** The vendor documentation the interactions were written from. */
  writtenFrom: string;
  /** Why it has no verification record yet. */
  why: string;
}

const NO_SANDBOX = 'no vendor sandbox is reachable from this project (no internet access)';

/**
 * The vendor pacts of the reference connectors that have no verification record yet, by file name. The
 * pact check shows each as pending (skipped, with the reason) instead of failing; a vendor pact in neither
 * this list nor contracts/vendor-verifications/ fails the check. Until they are verified against a sandbox
 * (contracts/verify-vendor-pact.ts writes the record; then remove the entry), the showcase end-to-end test
 * (load-tests/showcase) holds the connectors' real traffic through the hub to these same interactions.
 */
export const UNVERIFIED_VENDOR_PACTS: Readonly<Record<string, UnverifiedVendorPact>> = {
  'poshub-connector-erp-netsuite-netsuite-rest-record-api.json': {
    writtenFrom: 'NetSuite REST Web Services, record API v1 (cashSale, cashRefund, upsert by external id)',
    why: NO_SANDBOX,
  },
  'poshub-connector-erp-sap-s4hana-sap-s4hana-odata-api.json': {
    writtenFrom: 'SAP API Business Hub: API_SALES_ORDER_SRV and API_CUSTOMER_RETURN_SRV (OData V2)',
    why: NO_SANDBOX,
  },
  'poshub-connector-crm-salesforce-salesforce-rest-api.json': {
    writtenFrom: 'Salesforce REST API: sObject upsert by external id and the Composite resource',
    why: NO_SANDBOX,
  },
  'poshub-connector-loyalty-square-square-loyalty-api.json': {
    writtenFrom: 'Square Loyalty API (accounts search, accumulate points, adjust, rewards)',
    why: NO_SANDBOX,
  },
  'poshub-connector-inventory-shopify-shopify-admin-graphql-api.json': {
    writtenFrom: 'Shopify Admin GraphQL API: inventoryAdjustQuantities, inventorySetQuantities',
    why: NO_SANDBOX,
  },
  'poshub-connector-oms-commercetools-commercetools-http-api.json': {
    writtenFrom: 'commercetools HTTP API: Orders (get by order number, update actions)',
    why: NO_SANDBOX,
  },
};
