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
import { netsuiteConnector } from './netsuite-connector.ts';

const { like, eachLike, regex, number } = MatchersV3;

// The NetSuite connector as a consumer of the REST record API v1 (HTTP pact), written from Oracle's
// documentation (SuiteTalk REST Web Services: "Using the Upsert Operation", "Using External IDs", error
// responses with o:errorDetails); no NetSuite sandbox is reachable from here, so the pact awaits a
// verification against one (contracts/pact-manifest.ts). The token endpoint is not part of it: tokens
// come from the real local issuer (private_key_jwt), standing in for NetSuite's.
const { pact } = consumerPact({
  consumer: { name: 'poshub-connector-erp-netsuite', packageDir: join(import.meta.dirname, '..') },
  provider: { name: 'netsuite-rest-record-api' },
});

const { sale, ret } = showcaseEvents();
const EXTERNAL_ID = /^poshub-[^/]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
let issuer: ShowcaseIssuer & { close(): Promise<void> };

beforeAll(async () => {
  issuer = await startShowcaseIssuer();
});
afterAll(() => issuer.close());

function deliver(url: string, event: CanonicalEvent) {
  const config = showcaseConfigs({ netsuite: url } as never, issuer)['erp-netsuite'];
  const started = startConnector(netsuiteConnector, config, { log: { sink() {} } });
  if (!started.ok) throw new Error(JSON.stringify(started.problems));
  return started.target.handle(event, {
    idempotencyKey: `pact-${event.id}`,
    attempt: 1,
    signal: new AbortController().signal,
  });
}

const headers = {
  authorization: regex(/^Bearer \S+$/, 'Bearer eyJhbGciOiJFUzI1NiJ9.e30.sig'),
  'content-type': regex(/^application\/json/, 'application/json'),
  'x-netsuite-propertynamevalidation': 'Error',
};

/** A cash sale or refund body: items by SKU (external id), net amounts, location by store. */
const recordBody = (kind: 'sale' | 'return', extra: Record<string, unknown> = {}) => ({
  externalId: regex(EXTERNAL_ID, 'poshub-0042-03-2026-03-14-2210'),
  entity: { externalId: like('CUST-0042-7781') },
  subsidiary: { id: '1' },
  location: { id: regex(/^\d+$/, '7') },
  currency: { refName: regex(/^[A-Z]{3}$/, 'USD') },
  tranDate: regex(DATE, '2026-03-14'),
  memo: regex(
    new RegExp(`^poshub ${kind} .+$`),
    `poshub ${kind} 0042/03/2026-03-14/2210 receipt 0042-03-2210`,
  ),
  item: {
    items: eachLike({
      item: { externalId: like('TSHIRT-M-BLU') },
      quantity: number(1),
      amount: number(12.5),
      description: like('T-shirt blue M'),
      taxCode: { externalId: like('CA') },
    }),
  },
  ...extra,
});

const path = (type: 'cashSale' | 'cashRefund', example: string) =>
  regex(
    new RegExp(`^/services/rest/record/v1/${type}/eid:[^/]+$`),
    `/services/rest/record/v1/${type}/eid:${example}`,
  );

describe('erp-netsuite → NetSuite REST record API (HTTP pact)', () => {
  it('upserts a sale as a cash sale by external id', async () => {
    await pact
      .addInteraction()
      .given('NetSuite knows the items, the customer and the locations')
      .uponReceiving('a cash sale upserted by external id')
      .withRequest('PUT', path('cashSale', 'poshub-0042-03-2026-03-14-2210'), (b) =>
        b.headers(headers).jsonBody(recordBody('sale')),
      )
      .willRespondWith(204)
      .executeTest(async (server) => {
        expect(await deliver(server.url, sale)).toEqual({ ok: true });
      });
  });

  it('upserts a return as a cash refund created from the cash sale', async () => {
    await pact
      .addInteraction()
      .given('NetSuite knows the items, the customer and the locations')
      .given('the cash sale poshub-0042-03-2026-03-14-2210 exists')
      .uponReceiving('a cash refund created from a cash sale, upserted by external id')
      .withRequest('PUT', path('cashRefund', 'poshub-0107-01-2026-03-15-17'), (b) =>
        b.headers(headers).jsonBody(
          recordBody('return', {
            externalId: regex(EXTERNAL_ID, 'poshub-0107-01-2026-03-15-17'),
            location: { id: regex(/^\d+$/, '9') },
            tranDate: regex(DATE, '2026-03-15'),
            memo: regex(/^poshub return .+$/, 'poshub return 0107/01/2026-03-15/17 receipt 0107-01-17'),
            createdFrom: { externalId: regex(EXTERNAL_ID, 'poshub-0042-03-2026-03-14-2210') },
          }),
        ),
      )
      .willRespondWith(204)
      .executeTest(async (server) => {
        expect(await deliver(server.url, ret)).toEqual({ ok: true });
      });
  });

  it('dead-letters a sale whose item NetSuite does not know (INVALID_KEY_OR_REF)', async () => {
    await pact
      .addInteraction()
      .given('NetSuite does not know item TSHIRT-M-BLU')
      .uponReceiving('a cash sale referencing an unknown item')
      .withRequest('PUT', path('cashSale', 'poshub-0042-03-2026-03-14-2210'), (b) =>
        b.headers(headers).jsonBody(recordBody('sale')),
      )
      .willRespondWith(400, (b) =>
        b.jsonBody({
          type: like('https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1'),
          title: like('Bad Request'),
          status: 400,
          'o:errorDetails': eachLike({
            detail: like('Invalid Field Value TSHIRT-M-BLU for the following field: item'),
            'o:errorCode': 'INVALID_KEY_OR_REF',
          }),
        }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, sale)).toMatchObject({
          ok: false,
          error: { retryable: false, type: 'netsuite_invalid_key_or_ref' },
        });
      });
  });

  it('retries when NetSuite refuses for concurrency governance (429, CONCURRENCY_LIMIT_EXCEEDED)', async () => {
    await pact
      .addInteraction()
      .given('the integration is at its concurrency limit')
      .uponReceiving('a cash sale while the concurrency limit is reached')
      .withRequest('PUT', path('cashSale', 'poshub-0042-03-2026-03-14-2210'), (b) =>
        b.headers(headers).jsonBody(recordBody('sale')),
      )
      .willRespondWith(429, (b) =>
        b.jsonBody({
          type: like('https://www.rfc-editor.org/rfc/rfc6585.html#section-4'),
          title: like('Too Many Requests'),
          status: 429,
          'o:errorDetails': eachLike({
            detail: like('Concurrent request limit exceeded. Request blocked.'),
            'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED',
          }),
        }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, sale)).toMatchObject({
          ok: false,
          error: { retryable: true, type: 'netsuite_concurrency_limit_exceeded' },
        });
      });
  });
});
