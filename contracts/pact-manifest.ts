import './pact-do-not-track.ts';
import { verifyCanonicalEventMessages } from './hub-events/verify-canonical-event-messages.ts';
import { verifyIngestApi } from './pos-terminal/verify-ingest-api.ts';
import { verifyStandardWebhooksReceiver } from './webhook-receiver/verify-standard-webhooks-receiver.ts';

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
};
