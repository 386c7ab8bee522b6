import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pactsDir } from '@poshub/contracts/consumer-pact.ts';
import { type PactHttpInteraction, type PactStub, startPactStub } from '@poshub/contracts/pact-stub.ts';
import { type ShowcaseUrls, startShowcaseIssuer } from '@poshub/contracts/showcase-configs.ts';
import { showcaseEvents } from '@poshub/contracts/showcase-events.ts';
import { readServiceUrls } from '@poshub/local-services';
import type { CanonicalEvent } from '@poshub/model';
import { deleteRabbitmqNamespace } from '@poshub/transports/rabbitmq';
import { deleteSqsNamespace } from '@poshub/transports/sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, HubProcess } from '../fault/hub-process.ts';
import { createScratchDatabase, posWriteToken, scratchHubEnv } from '../fault/scratch-hub.ts';
import { TargetGate } from './target-gate.ts';

// The showcase flow of issue 7, end to end, on each real transport: a till of store 0042 sells two items
// to a known customer and hands over a click-and-collect order; the next day the customer returns one item
// at store 0107. A real `poshub serve` process (PostgreSQL, the transport, the real OAuth2 issuer) runs the
// six reference connectors against their vendors, each a Pact mock server built from the connector's
// committed pact file and serving only the interactions this flow needs. Each vendor must receive exactly
// those interactions, each once, in the pact's order for the flow; and the ERP (NetSuite) is unreachable
// for the first minute, then must receive everything.
const TRANSPORTS = (process.env.SHOWCASE_TRANSPORTS ?? 'embedded,kafka,rabbitmq,sqs').split(',');
const DOWN_MS = Number(process.env.SHOWCASE_DOWN_MS ?? 60_000);

type Vendor = keyof ShowcaseUrls;
/** An interaction the flow needs: its description, and its first provider state where two share one. */
type Call = [description: string, state?: string];

/** What each vendor must receive for the flow, in order (an ordered connector's store order, then causal). */
const FLOW: Record<Vendor, { pact: string; calls: Call[] }> = {
  netsuite: {
    pact: 'poshub-connector-erp-netsuite-netsuite-rest-record-api.json',
    calls: [
      ['a cash sale upserted by external id'],
      ['a cash refund created from a cash sale, upserted by external id'],
    ],
  },
  s4hana: {
    pact: 'poshub-connector-erp-sap-s4hana-sap-s4hana-odata-api.json',
    calls: [
      [
        'a lookup of the sales order of a POS sale, fetching a CSRF token',
        'S/4HANA knows the materials, plants and sold-to party',
      ],
      ['a sales order for a POS sale, with its items and their net prices'],
      ['a lookup of the customer return of a POS return, fetching a CSRF token'],
      ['a lookup of the sales order a POS return refers to'],
      ['a customer return for a POS return, referencing the original sales order'],
    ],
  },
  salesforce: {
    pact: 'poshub-connector-crm-salesforce-salesforce-rest-api.json',
    calls: [
      ['a composite upsert of a purchase and its two lines'],
      ['a composite upsert of a return and its line'],
    ],
  },
  square: {
    pact: 'poshub-connector-loyalty-square-square-loyalty-api.json',
    calls: [['points accumulated for a sale'], ['points adjusted down for a return']],
  },
  shopify: {
    pact: 'poshub-connector-inventory-shopify-shopify-admin-graphql-api.json',
    calls: [
      ['an inventoryAdjustQuantities for a POS sale'],
      ['an inventoryAdjustQuantities restocking a POS return'],
    ],
  },
  commercetools: {
    pact: 'poshub-connector-oms-commercetools-commercetools-http-api.json',
    calls: [
      ['a read of online order WEB-10077 by its number', 'online order WEB-10077 is ready for pickup'],
      ['update actions marking online order WEB-10077 picked up'],
    ],
  },
};

const chosen = (calls: Call[]) => (i: PactHttpInteraction) =>
  calls.some(([d, s]) => i.description === d && (s === undefined || i.providerStates?.[0]?.name === s));

/** The interaction's path as a matcher: its regex rule, or the literal path. */
function pathMatches(i: PactHttpInteraction, path: string): boolean {
  const rule = (
    i.request as unknown as { matchingRules?: { path?: { matchers?: Array<{ regex?: string }> } } }
  ).matchingRules?.path?.matchers?.[0]?.regex;
  const bare = path.split('?')[0]!;
  return rule ? new RegExp(rule).test(bare) : bare === i.request.path;
}

interface Vendors {
  stubs: Record<Vendor, PactStub>;
  gates: Record<Vendor, TargetGate>;
  urls: ShowcaseUrls;
}

async function startVendors(): Promise<Vendors> {
  const stubs = {} as Record<Vendor, PactStub>;
  const gates = {} as Record<Vendor, TargetGate>;
  const urls = {} as ShowcaseUrls;
  for (const vendor of Object.keys(FLOW) as Vendor[]) {
    const flow = FLOW[vendor];
    stubs[vendor] = startPactStub(join(pactsDir(), flow.pact), { only: chosen(flow.calls) });
    expect(stubs[vendor].interactions, `${vendor}: the pact lacks a flow interaction`).toHaveLength(
      flow.calls.length,
    );
    gates[vendor] = new TargetGate(stubs[vendor].url);
    urls[vendor] = await gates[vendor].open();
  }
  return { stubs, gates, urls };
}

async function post(hub: string, token: string, path: string, event: CanonicalEvent): Promise<number> {
  const res = await fetch(`${hub}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': `showcase-${event.id}`,
    },
    body: JSON.stringify(event),
  });
  await res.arrayBuffer();
  return res.status;
}

async function until(what: () => string, ms: number, done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

let issuer: Awaited<ReturnType<typeof startShowcaseIssuer>>;
beforeAll(async () => {
  issuer = await startShowcaseIssuer();
});
afterAll(() => issuer?.close());

describe('showcase: a sale of two items, a return of one in another store the next day, to six vendors', () => {
  it.concurrent.each(TRANSPORTS)(
    'on %s: every vendor gets exactly its pact calls, once, in order; the ERP down for a minute catches up',
    async (transport) => {
      const services = readServiceUrls();
      const run = `${transport.slice(0, 3)}${Date.now().toString(36)}${process.pid.toString(36)}`;
      const database = await createScratchDatabase(`poshub_showcase_${run}`);
      const dataDir = await mkdtemp(join(tmpdir(), 'poshub-showcase-'));
      const namespace = `sc-${run}`; // SQS namespaces hold at most 22 characters
      const vendors = await startVendors();
      const hub = new HubProcess({
        port: await freePort(),
        logFile: join(dataDir, 'hub.log'),
        env: scratchHubEnv({
          databaseUrl: database.url,
          dataDir,
          transport,
          namespace,
          targetUrl: 'http://127.0.0.1:9',
          extra: {
            POSHUB_CONNECTORS: join(import.meta.dirname, 'showcase-connectors.ts'),
            POSHUB_LOG_LEVEL: process.env.SHOWCASE_LOG_LEVEL ?? 'warn',
            // The reconciler is the safety net behind every broker (it republishes what a connector has
            // not settled within its bound): 20 s here instead of 5 min, so a delivery a broker dropped
            // is retried within this test's minute. Once, under CI load, Kafka's retry path stopped
            // retrying the ERP's sale (ledger: retrying) after the outage; see the session note.
            POSHUB_RECONCILE_BOUND_MS: '20000',
            POSHUB_RECONCILE_EVERY_MS: '5000',
            SHOWCASE_URLS: JSON.stringify(vendors.urls),
            SHOWCASE_ISSUER: JSON.stringify({
              issuer: issuer.issuer,
              tokenEndpoint: issuer.tokenEndpoint,
              netsuiteKey: issuer.netsuiteKey,
            }),
          },
        }),
      });
      try {
        await hub.start();
        // The hub answers before its consumers have joined (Kafka groups take seconds): the outage minute
        // starts once every lane is consuming.
        await until(
          () => `${transport}: dispatch consuming`,
          120_000,
          async () =>
            (
              await fetch(`${hub.url}/readyz`).then(
                (r) => r.json() as Promise<{ dispatch?: string }>,
                () => ({}) as { dispatch?: string },
              )
            ).dispatch === 'consuming',
        );
        const token = await posWriteToken();
        const { sale, pickup, ret } = showcaseEvents();
        vendors.gates.netsuite.down(DOWN_MS);
        const downAt = Date.now();
        expect(await post(hub.url, token, '/v1/transactions', sale)).toBe(201);
        // A vendor document route answers 200 with a result per event it held.
        expect(await post(hub.url, token, '/v1/ingest/canonical', pickup)).toBe(200);
        expect(await post(hub.url, token, '/v1/transactions', ret)).toBe(201);

        const others = (Object.keys(FLOW) as Vendor[]).filter((v) => v !== 'netsuite');
        const complete = (v: Vendor) => vendors.gates[v].passed.length >= FLOW[v].calls.length;
        await until(
          () =>
            `${transport}: the vendors other than the ERP (${others.map((v) => `${v} ${vendors.gates[v].passed.length}/${FLOW[v].calls.length}`).join(', ')})`,
          60_000,
          () => others.every(complete),
        );
        // The others were served while the ERP was unreachable: one target's outage is not the others'.
        expect(vendors.gates.netsuite.isDown).toBe(true);
        expect(vendors.gates.netsuite.passed).toEqual([]);
        await until(
          () => `${transport}: the ERP after its outage (${vendors.gates.netsuite.passed.length}/2)`,
          DOWN_MS + 60_000,
          () => complete('netsuite'),
        );
        const caughtUpMs = Date.now() - downAt - DOWN_MS;
        // Nothing more comes: a late duplicate would show here.
        await new Promise((r) => setTimeout(r, 2_000));

        const report: string[] = [];
        for (const vendor of Object.keys(FLOW) as Vendor[]) {
          const { stubs, gates } = vendors;
          const expected = FLOW[vendor].calls.map(
            ([d, s]) => stubs[vendor].interactions.find((i) => chosen([[d, s]])(i))!,
          );
          const passed = gates[vendor].passed;
          report.push(
            `${vendor}: ${passed.map((p) => `${p.method} ${p.path.split('?')[0]} ${p.status}`).join(', ')}`,
          );
          expect(stubs[vendor].mismatches(), `${vendor}: Pact's verdict`).toEqual([]);
          expect(passed, `${vendor}: each call once`).toHaveLength(expected.length);
          for (const p of passed) expect(p.status, `${vendor}: ${p.method} ${p.path}`).toBeLessThan(300);
          // The return waits for its sale at every connector (causal order), across the two stores.
          passed.forEach((p, n) => {
            expect(p.method, `${vendor} call ${n + 1}`).toBe(expected[n]!.request.method);
            expect(pathMatches(expected[n]!, p.path), `${vendor} call ${n + 1}: ${p.path}`).toBe(true);
          });
        }
        report.push(
          `netsuite: ${vendors.gates.netsuite.refused} connections cut while down; caught up ${(caughtUpMs / 1000).toFixed(1)} s after it came back`,
        );
        console.log(`[showcase ${transport}]\n  ${report.join('\n  ')}`);
      } catch (error) {
        const metrics = await fetch(`${hub.url}/metrics`).then(
          async (r) =>
            (await r.text())
              .split('\n')
              .filter((l) => /^poshub_(dispatch_deliveries|dispatch_outbox|dispatch_oldest|outbox)/.test(l)),
          () => [],
        );
        console.log(
          `[showcase ${transport}] deliveries:\n${metrics.join('\n')}\nhub log tail:\n${hub.tail(Number(process.env.SHOWCASE_LOG_TAIL ?? 60))}`,
        );
        throw error;
      } finally {
        await hub.close();
        for (const v of Object.keys(FLOW) as Vendor[]) {
          await vendors.gates[v].close();
          vendors.stubs[v].close();
        }
        if (transport === 'rabbitmq')
          await deleteRabbitmqNamespace({ managementUrl: services.rabbitmqManagementUrl }, namespace);
        if (transport === 'sqs') {
          await deleteSqsNamespace(
            {
              endpoint: services.sqs.endpoint,
              region: services.sqs.region,
              credentials: {
                accessKeyId: services.sqs.accessKeyId,
                secretAccessKey: services.sqs.secretAccessKey,
              },
            },
            namespace,
          );
        }
        await database.drop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    DOWN_MS + 240_000,
  );
});
