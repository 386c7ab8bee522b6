import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pactsDir } from './consumer-pact.ts';
import { PACT_VERIFIERS } from './pact-manifest.ts';
import { readPact, vendorVerificationProblem, versionProblems } from './pact-problems.ts';
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
  it('has a pact file for every verifier in the manifest', () => {
    for (const name of Object.keys(PACT_VERIFIERS)) expect(files, `${name} is missing`).toContain(name);
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
        it(`was verified against ${readPact(file).provider.name} with this content`, () => {
          expect(vendorVerificationProblem(file, REPO)).toBeUndefined();
        });
      }
    });
  }
});
