import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import type { PactVersions } from './consumer-pact.ts';
import { pactDigest, readVendorVerification, vendorVerificationFile } from './vendor-verification.ts';
import type { WorkspacePackage } from './workspace-packages.ts';

/** What the pact check reads in a pact file. */
export interface PactFile {
  consumer: { name: string };
  provider: { name: string };
  metadata?: { poshub?: PactVersions };
}

/** A pact file, parsed. */
export function readPact(file: string): PactFile {
  return JSON.parse(readFileSync(file, 'utf8')) as PactFile;
}

const RERUN = 'run its consumer test again (pnpm contracts) and commit the pact';

/**
 * Why a pact was not written by the current versions of its consumer and provider packages (empty when it
 * was): no poshub metadata, a package gone from the workspace, or a version that changed since.
 */
export function versionProblems(file: string, packages: ReadonlyMap<string, WorkspacePackage>): string[] {
  const name = basename(file);
  const versions = readPact(file).metadata?.poshub;
  if (!versions)
    return [`${name} has no metadata.poshub: write it with consumerPact() (contracts/consumer-pact.ts)`];
  const problems: string[] = [];
  for (const side of ['consumer', 'provider'] as const) {
    const written = versions[side];
    if (!written) continue; // a vendor's API: no package of this repository
    const current = packages.get(written.name);
    if (!current) problems.push(`${name}: its ${side} ${written.name} is not a package of this workspace`);
    else if (current.version !== written.version) {
      problems.push(
        `${name} was written by ${written.name} ${written.version}, now ${current.version}: ${RERUN}`,
      );
    }
  }
  return problems;
}

/**
 * Why a pact with a provider outside this repository is not verified (undefined when it is): no record of
 * a verification against the vendor's API, or a pact that changed since that verification.
 */
export function vendorVerificationProblem(file: string, repo: string): string | undefined {
  const name = basename(file);
  const pact = readPact(file);
  const record = readVendorVerification(file);
  if (!record) {
    return (
      `${name} is not verified. Its provider ${pact.provider.name} is not in this repository: verify it against ` +
      `the vendor's API with \`bash infra/local/node.sh contracts/verify-vendor-pact.ts ${relative(repo, file)} --provider-url <url>\` and ` +
      `commit ${relative(repo, vendorVerificationFile(file))}; if the provider is in this repository, add a ` +
      'verifier to contracts/pact-manifest.ts instead'
    );
  }
  if (record.sha256 !== pactDigest(file)) {
    return `${name} changed since it was verified against ${record.against} on ${record.verifiedAt}: verify it again`;
  }
  return undefined;
}
