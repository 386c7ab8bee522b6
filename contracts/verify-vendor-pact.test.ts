import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vendorVerificationProblem } from './pact-problems.ts';
import { readVendorVerification } from './vendor-verification.ts';
import { verifyVendorPact } from './verify-vendor-pact.ts';

// A vendor pact as a scaffolded connector writes one, and a vendor API (here a small local server) that
// honours it, or not.
const root = mkdtempSync(join(tmpdir(), 'poshub-vendor-pact-'));
mkdirSync(join(root, 'pacts'));
const file = join(root, 'pacts', 'poshub-connector-crm-acme-acme-api.json');
writeFileSync(
  file,
  JSON.stringify({
    consumer: { name: 'poshub-connector-crm-acme' },
    provider: { name: 'acme-api' },
    interactions: [
      {
        type: 'Synchronous/HTTP',
        description: 'a sale',
        request: {
          method: 'POST',
          path: '/v1/sales',
          headers: { 'Content-Type': ['application/json'] },
          body: { contentType: 'application/json', encoded: false, content: { externalId: 'evt-1' } },
        },
        response: { status: 201 },
      },
    ],
    metadata: {
      pactSpecification: { version: '4.0' },
      poshub: { consumer: { name: '@poshub/connector-crm-acme', version: '0.1.0' } },
    },
  }),
);

const servers: Server[] = [];
async function vendorApi(status: number): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(req.method === 'POST' && req.url === '/v1/sales' ? status : 404).end());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterAll(async () => {
  for (const s of servers) await new Promise((resolve) => s.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

describe('verify-vendor-pact', () => {
  it('refuses to run without a provider URL (exit 2)', async () => {
    expect(await verifyVendorPact([file])).toBe(2);
  });

  it('records nothing when the vendor API does not honour the pact (exit 1)', async () => {
    expect(await verifyVendorPact([file, '--provider-url', await vendorApi(400)])).toBe(1);
    expect(readVendorVerification(file)).toBeUndefined();
  });

  it('records a verification the pact check then accepts (exit 0)', async () => {
    const url = await vendorApi(201);
    expect(await verifyVendorPact([file, '--provider-url', url, '--header', 'x-sandbox-key: k-123'])).toBe(0);
    expect(readVendorVerification(file)).toMatchObject({
      pact: 'poshub-connector-crm-acme-acme-api.json',
      consumer: { name: '@poshub/connector-crm-acme', version: '0.1.0' },
      provider: 'acme-api',
      against: url,
    });
    expect(JSON.stringify(readVendorVerification(file))).not.toContain('k-123');
    expect(vendorVerificationProblem(file, root)).toBeUndefined();
  });
});
