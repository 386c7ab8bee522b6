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
import { commercetoolsConnector } from './commercetools-connector.ts';
import { orderFixtures } from './order-fixtures.ts';

const { like, eachLike, regex, integer, datetime } = MatchersV3;

// The commercetools connector as a consumer of the commercetools HTTP API (HTTP pact), written from its
// reference: Orders, get by order number and update by order number with the order's version and update
// actions (changeShipmentState, changeOrderState, addReturnInfo), and its error objects. No project is
// reachable from here: the pact awaits verification against one (contracts/pact-manifest.ts). Tokens
// come from the real local issuer standing in for auth.{region}.commercetools.com.
const { pact } = consumerPact({
  consumer: { name: 'poshub-connector-oms-commercetools', packageDir: join(import.meta.dirname, '..') },
  provider: { name: 'commercetools-http-api' },
});

const { pickup } = showcaseEvents();
const returnedInStore = orderFixtures()[2]!;
let issuer: ShowcaseIssuer & { close(): Promise<void> };

beforeAll(async () => {
  issuer = await startShowcaseIssuer();
});
afterAll(() => issuer.close());

function deliver(url: string, event: CanonicalEvent) {
  const config = showcaseConfigs({ commercetools: url } as never, issuer)['oms-commercetools'];
  const started = startConnector(commercetoolsConnector, config, { log: { sink() {} } });
  if (!started.ok) throw new Error(JSON.stringify(started.problems));
  return started.target.handle(event, {
    idempotencyKey: `pact-${event.id}`,
    attempt: 1,
    signal: new AbortController().signal,
  });
}

const auth = { authorization: regex(/^Bearer \S+$/, 'Bearer 7c9d2b7a-token') };
const orderPath = (number: string) =>
  regex(/^\/acme-prod\/orders\/order-number=[^/]+$/, `/acme-prod/orders/order-number=${number}`);
const order = (number: string, over: Record<string, unknown> = {}) => ({
  id: like('6b4c1f3e-0000-4000-8000-000000010077'),
  version: integer(7),
  orderNumber: like(number),
  orderState: like('Open'),
  shipmentState: like('Ready'),
  lineItems: eachLike({ id: like('li-2'), quantity: integer(2), variant: { sku: like('TSHIRT-M-BLU') } }),
  ...over,
});

function read(number: string, state: string) {
  return pact
    .addInteraction()
    .given(state)
    .uponReceiving(`a read of online order ${number} by its number`)
    .withRequest('GET', orderPath(number), (b) => b.headers(auth))
    .willRespondWith(200, (b) => b.jsonBody(order(number)));
}

describe('oms-commercetools → commercetools HTTP API (HTTP pact)', () => {
  it('confirms a click-and-collect pickup at the till: shipment Delivered, order Complete', async () => {
    read('WEB-10077', 'online order WEB-10077 is ready for pickup');
    await pact
      .addInteraction()
      .given('online order WEB-10077 is ready for pickup')
      .uponReceiving('update actions marking online order WEB-10077 picked up')
      .withRequest('POST', orderPath('WEB-10077'), (b) =>
        b.headers({ ...auth, 'content-type': regex(/^application\/json/, 'application/json') }).jsonBody({
          version: integer(7),
          actions: [
            { action: 'changeShipmentState', shipmentState: 'Delivered' },
            { action: 'changeOrderState', orderState: 'Complete' },
          ],
        }),
      )
      .willRespondWith(200, (b) =>
        b.jsonBody(
          order('WEB-10077', { version: integer(9), orderState: 'Complete', shipmentState: 'Delivered' }),
        ),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, pickup)).toEqual({ ok: true });
      });
  });

  it('records a return in store of an online order line as return info', async () => {
    read('WEB-10079', 'online order WEB-10079 was delivered');
    await pact
      .addInteraction()
      .given('online order WEB-10079 was delivered')
      .uponReceiving('an addReturnInfo for a line of online order WEB-10079 returned in store')
      .withRequest('POST', orderPath('WEB-10079'), (b) =>
        b.headers({ ...auth, 'content-type': regex(/^application\/json/, 'application/json') }).jsonBody({
          version: integer(7),
          actions: [
            {
              action: 'addReturnInfo',
              returnTrackingId: regex(/^poshub-\S{1,93}$/, `poshub-${returnedInStore.id}`),
              returnDate: datetime("yyyy-MM-dd'T'HH:mm:ss.SSSX", '2026-03-15T12:00:00.000Z'),
              items: eachLike({
                quantity: integer(1),
                lineItemId: like('li-2'),
                shipmentState: 'Returned',
                comment: like('Returned in store 0042'),
              }),
            },
          ],
        }),
      )
      .willRespondWith(200, (b) =>
        b.jsonBody(
          order('WEB-10079', {
            version: integer(8),
            returnInfo: eachLike({ returnTrackingId: like(`poshub-${returnedInStore.id}`) }),
          }),
        ),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, returnedInStore)).toEqual({ ok: true });
      });
  });

  it('dead-letters an update for an order commercetools does not know (404 ResourceNotFound)', async () => {
    await pact
      .addInteraction()
      .given('online order WEB-10077 does not exist')
      .uponReceiving('a read of an unknown online order')
      .withRequest('GET', orderPath('WEB-10077'), (b) => b.headers(auth))
      .willRespondWith(404, (b) =>
        b.jsonBody({
          statusCode: 404,
          message: like("The Resource with key 'WEB-10077' was not found."),
          errors: eachLike({
            code: 'ResourceNotFound',
            message: like("The Resource with key 'WEB-10077' was not found."),
          }),
        }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, pickup)).toMatchObject({
          ok: false,
          error: { retryable: false, type: 'commercetools_resourcenotfound' },
        });
      });
  });

  it('retries an update that lost a race with another change of the order (409 ConcurrentModification)', async () => {
    read('WEB-10077', 'online order WEB-10077 is ready for pickup and is being changed elsewhere');
    await pact
      .addInteraction()
      .given('online order WEB-10077 is ready for pickup and is being changed elsewhere')
      .uponReceiving('update actions on a stale version of online order WEB-10077')
      .withRequest('POST', orderPath('WEB-10077'), (b) =>
        b.headers({ ...auth, 'content-type': regex(/^application\/json/, 'application/json') }).jsonBody({
          version: integer(7),
          actions: [
            { action: 'changeShipmentState', shipmentState: 'Delivered' },
            { action: 'changeOrderState', orderState: 'Complete' },
          ],
        }),
      )
      .willRespondWith(409, (b) =>
        b.jsonBody({
          statusCode: 409,
          message: like('Object 6b4c1f3e has a different version than expected. Expected: 7 - Actual: 8.'),
          errors: eachLike({ code: 'ConcurrentModification', currentVersion: integer(8) }),
        }),
      )
      .executeTest(async (server) => {
        expect(await deliver(server.url, pickup)).toMatchObject({
          ok: false,
          error: { retryable: true, type: 'commercetools_concurrentmodification' },
        });
      });
  });
});
