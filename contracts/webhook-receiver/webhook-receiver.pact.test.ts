import { join } from 'node:path';
import { MatchersV3 } from '@pact-foundation/pact';
import { webhookConnector } from '@poshub/connector-webhook';
import { type CanonicalEvent, startConnector } from '@poshub/sdk';
import { canonicalFixtures } from '@poshub/sdk/testing';
import { describe, expect, it } from 'vitest';
import { consumerPact } from '../consumer-pact.ts';
import { WEBHOOK_RECEIVER_STATES } from './webhook-receiver-states.ts';

const { like, regex } = MatchersV3;

// The webhook connector as a consumer of any Standard Webhooks receiver (HTTP): the real connector posts
// to the Pact mock server, which checks the request and answers as a receiver would.
const REPO = join(import.meta.dirname, '..', '..');
const { pact } = consumerPact({
  consumer: { name: 'poshub-connector-webhook', packageDir: join(REPO, 'connectors', 'webhook') },
  provider: { name: 'standard-webhooks-receiver' },
});

// The example secret of the pact (the provider verification signs with its own).
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NEXT_SECRET = 'whsec_c2VjcmV0LWZvci1yb3RhdGlvbi0wMTIzNDU2Nzg5';
const KEY = '7b9e4c2a-1f3d-5e6a-8b7c-9d0e1f2a3b4c';
const SIGNATURE = /^v1,[A-Za-z0-9+/]+={0,2}( v1,[A-Za-z0-9+/]+={0,2})*$/;
const [sale, refund] = canonicalFixtures() as [CanonicalEvent, CanonicalEvent];

/** The request the connector makes for an event: the CloudEvent as JSON, signed per Standard Webhooks. */
function signedDelivery(event: CanonicalEvent, signatures: number) {
  const example = Array.from({ length: signatures }, () => 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=');
  return {
    headers: {
      'content-type': 'application/cloudevents+json; charset=utf-8',
      'webhook-id': regex(/^\S{1,255}$/, KEY),
      'webhook-timestamp': regex(/^\d{10}$/, '1773511331'),
      'webhook-signature': regex(SIGNATURE, example.join(' ')),
    },
    body: {
      specversion: '1.0',
      id: like(event.id),
      source: like(event.source),
      subject: like(event.subject),
      type: event.type,
      time: like(event.time!),
      datacontenttype: 'application/json',
      data: like(event.data),
    },
  };
}

function deliver(url: string, event: CanonicalEvent, secrets = [SECRET]) {
  const started = startConnector(webhookConnector, { url, secrets }, { log: { sink() {} } });
  if (!started.ok) throw new Error(JSON.stringify(started.problems));
  return started.target.handle(event, {
    idempotencyKey: KEY,
    attempt: 1,
    signal: new AbortController().signal,
  });
}

describe('webhook connector → a Standard Webhooks receiver (HTTP pact)', () => {
  it('posts a signed sale.completed.v1, which the receiver takes with 204', async () => {
    const request = signedDelivery(sale, 1);
    await pact
      .addInteraction()
      .given(WEBHOOK_RECEIVER_STATES.accepting)
      .uponReceiving('a signed sale.completed.v1 event')
      .withRequest('POST', '/hooks/poshub', (b) => b.jsonBody(request.body).headers(request.headers))
      .willRespondWith(204)
      .executeTest(async (server) => {
        expect(await deliver(`${server.url}/hooks/poshub`, sale)).toEqual({ ok: true });
      });
  });

  it('signs with both secrets during a key rotation', async () => {
    const request = signedDelivery(refund, 2);
    await pact
      .addInteraction()
      .given(WEBHOOK_RECEIVER_STATES.accepting)
      .uponReceiving('a return.completed.v1 event signed with two secrets during a rotation')
      .withRequest('POST', '/hooks/poshub', (b) => b.jsonBody(request.body).headers(request.headers))
      .willRespondWith(204)
      .executeTest(async (server) => {
        expect(await deliver(`${server.url}/hooks/poshub`, refund, [NEXT_SECRET, SECRET])).toEqual({
          ok: true,
        });
      });
  });

  it('stops when the receiver answers 410 Gone', async () => {
    const request = signedDelivery(sale, 1);
    await pact
      .addInteraction()
      .given(WEBHOOK_RECEIVER_STATES.gone)
      .uponReceiving('a signed event for an endpoint that was removed')
      .withRequest('POST', '/hooks/poshub', (b) => b.jsonBody(request.body).headers(request.headers))
      .willRespondWith(410)
      .executeTest(async (server) => {
        expect(await deliver(`${server.url}/hooks/poshub`, sale)).toMatchObject({
          ok: false,
          error: { abort: true, type: 'http_410' },
        });
      });
  });

  it('retries after the Retry-After of a busy receiver', async () => {
    const request = signedDelivery(sale, 1);
    await pact
      .addInteraction()
      .given(WEBHOOK_RECEIVER_STATES.busy)
      .uponReceiving('a signed event while the receiver is busy')
      .withRequest('POST', '/hooks/poshub', (b) => b.jsonBody(request.body).headers(request.headers))
      .willRespondWith(429, (b) => b.headers({ 'retry-after': regex(/^\d+$/, '30') }))
      .executeTest(async (server) => {
        expect(await deliver(`${server.url}/hooks/poshub`, sale)).toMatchObject({
          ok: false,
          error: { retryable: true, type: 'http_429', retryAfterMs: 30_000 },
        });
      });
  });
});
