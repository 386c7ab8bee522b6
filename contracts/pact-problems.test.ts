import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vendorVerificationProblem, versionProblems } from './pact-problems.ts';
import { writeVendorVerification } from './vendor-verification.ts';
import type { WorkspacePackage } from './workspace-packages.ts';

// The pact check must fail for each way a pact can be unverified for the current versions.
const root = mkdtempSync(join(tmpdir(), 'poshub-pact-check-'));
mkdirSync(join(root, 'pacts'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const packages = new Map<string, WorkspacePackage>([
  ['@poshub/connector-crm-acme', { name: '@poshub/connector-crm-acme', version: '0.2.0', dir: '/x' }],
  ['@poshub/ingest', { name: '@poshub/ingest', version: '0.1.0', dir: '/y' }],
]);

function pactFile(name: string, poshub?: unknown): string {
  const file = join(root, 'pacts', name);
  const metadata = poshub === undefined ? {} : { poshub };
  writeFileSync(file, JSON.stringify({ consumer: { name: 'c' }, provider: { name: 'acme-api' }, metadata }));
  return file;
}

describe('the pact check', () => {
  it('refuses a pact not written by consumerPact()', () => {
    expect(versionProblems(pactFile('bare.json'), packages)).toEqual([
      expect.stringContaining('has no metadata.poshub'),
    ]);
  });

  it('refuses a pact written by an older consumer, or by a package that is gone', () => {
    const old = pactFile('old.json', {
      consumer: { name: '@poshub/connector-crm-acme', version: '0.1.0' },
      provider: { name: '@poshub/ingest', version: '0.1.0' },
    });
    expect(versionProblems(old, packages)).toEqual([
      'old.json was written by @poshub/connector-crm-acme 0.1.0, now 0.2.0: run its consumer test again (pnpm contracts) and commit the pact',
    ]);
    const gone = pactFile('gone.json', { consumer: { name: '@poshub/connector-gone', version: '0.1.0' } });
    expect(versionProblems(gone, packages)).toEqual([
      expect.stringContaining('is not a package of this workspace'),
    ]);
  });

  it('accepts current versions, with no provider package for a vendor API', () => {
    const ok = pactFile('current.json', {
      consumer: { name: '@poshub/connector-crm-acme', version: '0.2.0' },
    });
    expect(versionProblems(ok, packages)).toEqual([]);
  });

  it('refuses a vendor pact never verified, and one changed since its verification', () => {
    const file = pactFile('c-acme-api.json', {
      consumer: { name: '@poshub/connector-crm-acme', version: '0.2.0' },
    });
    expect(vendorVerificationProblem(file, root)).toMatch(
      /^c-acme-api.json is not verified\. Its provider acme-api is not in this repository: verify it against the vendor's API with `bash infra\/local\/node.sh contracts\/verify-vendor-pact.ts pacts\/c-acme-api.json --provider-url <url>`/,
    );
    writeVendorVerification(file, {
      consumer: { name: '@poshub/connector-crm-acme', version: '0.2.0' },
      provider: 'acme-api',
      against: 'https://sandbox.acme.example',
      verifiedAt: '2026-03-14T10:00:00.000Z',
    });
    expect(vendorVerificationProblem(file, root)).toBeUndefined();
    pactFile('c-acme-api.json', { consumer: { name: '@poshub/connector-crm-acme', version: '0.2.1' } });
    expect(vendorVerificationProblem(file, root)).toBe(
      'c-acme-api.json changed since it was verified against https://sandbox.acme.example on 2026-03-14T10:00:00.000Z: verify it again',
    );
  });
});
