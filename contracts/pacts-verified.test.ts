import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pactsDir } from './consumer-pact.ts';
import { PACT_VERIFIERS, UNVERIFIED_VENDOR_PACTS } from './pact-manifest.ts';
import { readPact, vendorVerificationProblem, versionProblems } from './pact-problems.ts';
import { readVendorVerification } from './vendor-verification.ts';
import { workspacePackages } from './workspace-packages.ts';

// The pact check ("can I deploy" without a broker): every pact file in contracts/pacts/ was written by the
// current versions of its consumer and provider, and verifies against its provider in this very run, or,
// for a vendor's API, was verified against it with exactly this content.
const REPO = join(import.meta.dirname, '..');
const dir = pactsDir();
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const packages = workspacePackages(REPO);

describe('pacts in contracts/pacts/', () => {
  it('has a pact file for every verifier in the manifest, and for every vendor pact awaiting verification', () => {
    for (const name of Object.keys(PACT_VERIFIERS)) expect(files, `${name} is missing`).toContain(name);
    for (const name of Object.keys(UNVERIFIED_VENDOR_PACTS))
      expect(files, `${name} is missing`).toContain(name);
  });

  for (const name of files) {
    const file = join(dir, name);
    describe(name, () => {
      it('was written by the current consumer and provider versions', () => {
        expect(versionProblems(file, packages)).toEqual([]);
      });
      const verifier = PACT_VERIFIERS[name];
      if (verifier) {
        it(`verifies against ${verifier.against}`, () => verifier.verify(file), 180_000);
      } else {
        const provider = readPact(file).provider.name;
        const pending = UNVERIFIED_VENDOR_PACTS[name];
        if (pending && !readVendorVerification(file)) {
          // Shown as skipped, with its reason, in every run: a contract not yet proven against the vendor.
          it.skip(`is verified against ${provider}: PENDING, ${pending.why}; written from ${pending.writtenFrom}`, () => {});
        } else {
          it(`was verified against ${provider} with this content`, () => {
            expect(vendorVerificationProblem(file, REPO)).toBeUndefined();
          });
        }
      }
    });
  }
});
