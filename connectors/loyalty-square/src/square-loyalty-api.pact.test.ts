import { join } from 'node:path';
import { consumerPact, MatchersV3 } from '@poshub/contracts/consumer-pact.ts';
import { showcaseConfigs } from '@poshub/contracts/showcase-configs.ts';
import { showcaseEvents } from '@poshub/contracts/showcase-events.ts';
import { type CanonicalEvent, startConnector } from '@poshub/sdk';
import { describe, expect, it } from 'vitest';
import { squareLoyaltyConnector } from './square-loyalty-connector.ts';

const { like, eachLike, regex, integer } = MatchersV3;

// The Square loyalty connector as a consumer of the Square Loyalty API, version 2025-10-16 (HTTP pact),
// written from Square's API reference: AccumulateLoyaltyPoints and AdjustLoyaltyPoints, each with an
// idempotency key; the answer shapes follow Square's published examples (the vendor samples, see
// core/normalizers/fixtures/square/SOURCES.md). No Square sandbox is reachable from here: the pact awaits
// verification against one (contracts/pact-manifest.ts).
const { pact } = consumerPact({
  consumer: { name: 'poshub-connector-loyalty-square', packageDir: join(import.meta.dirname, '..') },
  provider: { name: 'square-loyalty-api' },
});

const { sale, ret } = showcaseEvents();

function deliver(url: string, event: CanonicalEvent) {
  const config = showcaseConfigs({ square: url } as never, {} as never)['loyalty-square'];
  const started = startConnector(squareLoyaltyConnector, config, { log: { sink() {} } });
  if (!started.ok) throw new Error(JSON.stringify(started.problems));
  return started.target.handle(event, {
    idempotencyKey: `pact-${event.id}`,
    attempt: 1,
    signal: new AbortController().signal,
  });
}

const headers = {
  authorization: regex(/^Bearer \S+$/, 'Bearer EAAAl-showcase-token'),
  'square-version': regex(/^\d{4}-\d{2}-\d{2}$/, '2025-10-16'),
  'content-type': regex(/^application\/json/, 'application/json'),
};
const accountPath = (action: 'accumulate' | 'adjust') =>
  regex(new RegExp(`^/v2/loyalty/accounts/[^/]+/${action}$`), `/v2/loyalty/accounts/LOY-778812/${action}`);
const KEY = /^\S{1,128}$/;
const loyaltyEvent = (type: string, detail: Record<string, unknown>) => ({
  id: like('ee46aafd-1af6-3695-a385-276e2ef0be26'),
  type,
  created_at: like('2026-03-14T18:02:13Z'),
  loyalty_account_id: like('LOY-778812'),
  source: 'LOYALTY_API',
  ...detail,
});
const accumulate = {
  accumulate_points: { points: integer(66) },
  location_id: regex(/^\S+$/, 'P034NEENMD09F'),
  idempotency_key: regex(KEY, 'pact-5f0c6c1e-8a51-4c1a-9d0e-5c0e00002210:accrue'),
};

describe('loyalty-square → Square Loyalty API (HTTP pact)', () => {
  it("accrues a member's points for a sale at the store's location", async () => {
    await pact
      .addInteraction()
      .given('loyalty account LOY-778812 exists in an active program')
      .uponReceiving('points accumulated for a sale')
      .withRequest('POST', accountPath('accumulate'), (b) => b.headers(headers).jsonBody(accumulate))
      .willRespondWith(200, (b) =>
        b.jsonBody({
          events: eachLike(
            loyaltyEvent('ACCUMULATE_POINTS', {
              accumulate_points: { loyalty_program_id: like('d619f755-2d17'), points: integer(66) },
              location_id: like('P034NEENMD09F'),
            }),
          ),
        }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, sale)).toEqual({ ok: true });
      });
  });

  it('takes back the points a returned item earned', async () => {
    await pact
      .addInteraction()
      .given('loyalty account LOY-778812 exists in an active program')
      .uponReceiving('points adjusted down for a return')
      .withRequest('POST', accountPath('adjust'), (b) =>
        b.headers(headers).jsonBody({
          adjust_points: {
            points: integer(-53),
            reason: regex(/^POS return \S+$/, 'POS return 0107/01/2026-03-15/17'),
          },
          allow_negative_balance: true,
          idempotency_key: regex(KEY, 'pact-5f0c6c1e-8a51-4c1a-9d0e-5c0e01070017:reverse'),
        }),
      )
      .willRespondWith(200, (b) =>
        b.jsonBody({
          event: loyaltyEvent('ADJUST_POINTS', {
            adjust_points: { loyalty_program_id: like('d619f755-2d17'), points: integer(-53) },
          }),
        }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, ret)).toEqual({ ok: true });
      });
  });

  it('dead-letters points for an account Square does not know (404 NOT_FOUND)', async () => {
    await pact
      .addInteraction()
      .given('loyalty account LOY-778812 does not exist')
      .uponReceiving('points accumulated for an unknown account')
      .withRequest('POST', accountPath('accumulate'), (b) => b.headers(headers).jsonBody(accumulate))
      .willRespondWith(404, (b) =>
        b.jsonBody({
          errors: eachLike({
            category: 'INVALID_REQUEST_ERROR',
            code: 'NOT_FOUND',
            detail: like('Loyalty account not found'),
          }),
        }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, sale)).toMatchObject({
          ok: false,
          error: { retryable: false, type: 'square_not_found' },
        });
      });
  });

  it('retries when Square rate limits (429 RATE_LIMITED)', async () => {
    await pact
      .addInteraction()
      .given('the application is rate limited')
      .uponReceiving('points accumulated while rate limited')
      .withRequest('POST', accountPath('accumulate'), (b) => b.headers(headers).jsonBody(accumulate))
      .willRespondWith(429, (b) =>
        b.jsonBody({
          errors: eachLike({
            category: 'RATE_LIMIT_ERROR',
            code: 'RATE_LIMITED',
            detail: like('Rate limit exceeded'),
          }),
        }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, sale)).toMatchObject({
          ok: false,
          error: { retryable: true, type: 'square_rate_limited' },
        });
      });
  });
});
