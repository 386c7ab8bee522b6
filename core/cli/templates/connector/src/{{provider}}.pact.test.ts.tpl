import { join } from 'node:path';
import { consumerPact, MatchersV3 } from '@poshub/contracts/consumer-pact.ts';
import { type CanonicalEvent, startConnector } from '@poshub/sdk';
import { canonicalFixtures } from '@poshub/sdk/testing';
import { describe, expect, it } from 'vitest';
import { {{systemCamel}}Connector } from './connector.ts';
import { is{{System}}Event, to{{System}}Sale } from './mapper.ts';

const { like, regex } = MatchersV3;

// {{name}} as a consumer of {{System}}'s API (HTTP pact): the real connector posts to the Pact mock server,
// which checks each request and answers as {{System}} would. The pact is written to contracts/pacts/; verify
// it against {{System}}'s API (see docs/connector-guide.md) before the connector ships.
const { pact } = consumerPact({
  consumer: { name: 'poshub-connector-{{name}}', packageDir: join(import.meta.dirname, '..') },
  provider: { name: '{{provider}}' },
});

const API_KEY = 'pact-example-key-0123456789';
const KEY = '3f1c2a9e-0d4b-5e21-9a7f-5c6d7e8f9a0b';
const [sale, refund] = canonicalFixtures().filter(is{{System}}Event);

function deliver(url: string, event: CanonicalEvent) {
  const started = startConnector({{systemCamel}}Connector, { baseUrl: url, apiKey: API_KEY }, { log: { sink() {} } });
  if (!started.ok) throw new Error(JSON.stringify(started.problems));
  return started.target.handle(event, {
    idempotencyKey: KEY,
    attempt: 1,
    signal: new AbortController().signal,
  });
}

const headers = {
  authorization: regex(/^Bearer \S+$/, `Bearer ${API_KEY}`),
  'idempotency-key': regex(/^\S{1,255}$/, KEY),
};

describe('{{name}} → {{System}} API (HTTP pact)', () => {
  for (const event of [sale!, refund!]) {
    it(`posts a ${event.type}, which {{System}} accepts`, async () => {
      await pact
        .addInteraction()
        .given('{{System}} accepts sales of store 0042')
        .uponReceiving(`a ${event.type === 'sale.completed.v1' ? 'sale' : 'return'}`)
        .withRequest('POST', '/v1/sales', (b) => b.jsonBody(like(to{{System}}Sale(event))).headers(headers))
        .willRespondWith(201)
        .executeTest(async (server) => {
          expect(await deliver(server.url, event)).toEqual({ ok: true });
        });
    });
  }

  it('dead-letters a sale {{System}} refuses, with its error code', async () => {
    await pact
      .addInteraction()
      .given('{{System}} does not know store 0042')
      .uponReceiving('a sale for an unknown store')
      .withRequest('POST', '/v1/sales', (b) => b.jsonBody(like(to{{System}}Sale(sale!))).headers(headers))
      .willRespondWith(422, (b) =>
        b.jsonBody({ code: like('unknown_store'), message: like('store 0042 is not set up') }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, sale!)).toMatchObject({
          ok: false,
          error: { retryable: false, type: '{{systemSnake}}_unknown_store' },
        });
      });
  });
});
