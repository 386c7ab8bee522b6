import { join } from 'node:path';
import { MatchersV3 } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import { consumerPact } from '../consumer-pact.ts';
import { INGEST_API_STATES } from './ingest-api-states.ts';
import { posTerminalClient } from './pos-terminal-client.ts';
import { tillKey, tillSale } from './till-sale.ts';

const { boolean, eachLike, integer, like, regex } = MatchersV3;

// A POS terminal as a consumer of the ingest API: the real client against the Pact mock server. The
// provider side is verified against a running hub (verify-ingest-api.ts).
const REPO = join(import.meta.dirname, '..', '..');
const { pact } = consumerPact({
  consumer: { name: 'poshub-pos-terminal', packageDir: join(REPO, 'contracts') },
  provider: { name: 'poshub-ingest-api', packageDir: join(REPO, 'core', 'ingest') },
});

// An example token: the provider verification replaces it with one its issuer signed.
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ0aWxsLTAwNDItMDMifQ.c2lnbmF0dXJl';
const BEARER = regex(/^Bearer [A-Za-z0-9._~+/-]+=*$/, `Bearer ${TOKEN}`);
const JSON_TYPE = regex(/^application\/json/, 'application/json');
const PROBLEM_TYPE = regex(/^application\/problem\+json/, 'application/problem+json');

const accepted = (sequence: string) => ({
  id: like(tillSale(sequence).id as string),
  type: 'sale.completed.v1',
  status: 'accepted',
  businessKey: like(`0042|03|2026-03-14|${sequence}`),
  dispatched: boolean(true),
});

const client = (baseUrl: string, token = TOKEN) => posTerminalClient({ baseUrl, token });

describe('POS terminal → poshub ingest API (HTTP pact)', () => {
  it('posts a sale with its Idempotency-Key: 201 accepted', async () => {
    await pact
      .addInteraction()
      .given(INGEST_API_STATES.acceptsSales)
      .uponReceiving('a sale with an idempotency key')
      .withRequest('POST', '/v1/transactions', (b) =>
        b.jsonBody(tillSale('2001')).headers({ authorization: BEARER, 'idempotency-key': tillKey('2001') }),
      )
      .willRespondWith(201, (b) => b.headers({ 'content-type': JSON_TYPE }).jsonBody(accepted('2001')))
      .executeTest(async (server) => {
        const result = await client(server.url).postTransaction(tillSale('2001'), tillKey('2001'));
        expect(result).toMatchObject({
          ok: true,
          status: 201,
          replayed: false,
          value: { status: 'accepted' },
        });
      });
  });

  it('resends a sale whose answer it lost: the first answer again, marked replayed', async () => {
    await pact
      .addInteraction()
      .given(INGEST_API_STATES.acceptsSales)
      .given(INGEST_API_STATES.posted, { sequence: '2002' })
      .uponReceiving('a sale sent again with the same idempotency key')
      .withRequest('POST', '/v1/transactions', (b) =>
        b.jsonBody(tillSale('2002')).headers({ authorization: BEARER, 'idempotency-key': tillKey('2002') }),
      )
      .willRespondWith(201, (b) =>
        b.headers({ 'content-type': JSON_TYPE, 'idempotent-replayed': 'true' }).jsonBody(accepted('2002')),
      )
      .executeTest(async (server) => {
        const result = await client(server.url).postTransaction(tillSale('2002'), tillKey('2002'));
        expect(result).toMatchObject({ ok: true, status: 201, replayed: true });
      });
  });

  it('shows every problem of a refused sale with its pointer: 422 problem details', async () => {
    await pact
      .addInteraction()
      .given(INGEST_API_STATES.acceptsSales)
      .uponReceiving('a sale whose tenders do not add up')
      .withRequest('POST', '/v1/transactions', (b) =>
        b
          .jsonBody(tillSale('2003', { unbalanced: true }))
          .headers({ authorization: BEARER, 'idempotency-key': tillKey('2003') }),
      )
      .willRespondWith(422, (b) =>
        b.headers({ 'content-type': PROBLEM_TYPE }).jsonBody({
          type: like('https://poshub.dev/problems/invalid-document'),
          title: like('Invalid document'),
          status: 422,
          problems: eachLike({
            code: like('tenders.unbalanced'),
            pointer: like('/data/tenders'),
            message: like('tenders less change come to 2575, the total is 2576'),
          }),
        }),
      )
      .executeTest(async (server) => {
        const result = await client(server.url).postTransaction(
          tillSale('2003', { unbalanced: true }),
          tillKey('2003'),
        );
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.problem.problems?.[0]?.pointer).toBe('/data/tenders');
      });
  });

  it('forwards stored sales in a batch, one key each: 200 with a result per item', async () => {
    const items = ['2004', '2005'].map((s) => ({ idempotencyKey: tillKey(s), event: tillSale(s) }));
    await pact
      .addInteraction()
      .given(INGEST_API_STATES.acceptsSales)
      .uponReceiving('a batch of two sales')
      .withRequest('POST', '/v1/transactions/batch', (b) =>
        b.jsonBody(items).headers({ authorization: BEARER }),
      )
      .willRespondWith(200, (b) =>
        b.headers({ 'content-type': JSON_TYPE }).jsonBody({
          accepted: integer(2),
          refused: integer(0),
          results: eachLike(
            { index: integer(0), status: integer(201), body: like({ id: 'x', status: 'accepted' }) },
            2,
          ),
        }),
      )
      .executeTest(async (server) => {
        const result = await client(server.url).postBatch(items);
        expect(result).toMatchObject({ ok: true, value: { accepted: 2, refused: 0 } });
      });
  });

  it('reads back a sale it posted, with its delivery state', async () => {
    const id = tillSale('2006').id as string;
    await pact
      .addInteraction()
      .given(INGEST_API_STATES.acceptsSales)
      .given(INGEST_API_STATES.posted, { sequence: '2006' })
      .uponReceiving('a request for a sale the till posted')
      .withRequest('GET', `/v1/transactions/${id}`, (b) => b.headers({ authorization: BEARER }))
      .willRespondWith(200, (b) =>
        b.headers({ 'content-type': JSON_TYPE }).jsonBody({
          event: like({ id, type: 'sale.completed.v1', subject: '0042', data: {} }),
          receivedAt: regex(/^\d{4}-\d{2}-\d{2}T.+$/, '2026-03-14T18:02:12.000Z'),
          delivery: { state: regex(/^(pending|published|never_dispatched)$/, 'published') },
        }),
      )
      .executeTest(async (server) => {
        const result = await client(server.url).getTransaction(id);
        expect(result).toMatchObject({ ok: true, value: { event: { id } } });
      });
  });

  it('is refused without a valid token: 401', async () => {
    await pact
      .addInteraction()
      .given(INGEST_API_STATES.untrusted)
      .uponReceiving('a sale with a token the hub does not trust')
      .withRequest('POST', '/v1/transactions', (b) =>
        b.jsonBody(tillSale('2007')).headers({ authorization: BEARER, 'idempotency-key': tillKey('2007') }),
      )
      .willRespondWith(401, (b) => b.headers({ 'www-authenticate': like('Bearer') }))
      .executeTest(async (server) => {
        const result = await client(server.url).postTransaction(tillSale('2007'), tillKey('2007'));
        expect(result).toMatchObject({ ok: false, status: 401 });
      });
  });
});
